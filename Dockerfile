# syntax=docker/dockerfile:1
# cfguard in an image, for CI jobs and cron runners:
#
#   docker build -t cfguard .
#   docker run --rm -e CFGUARD_API -e CFGUARD_CLIENT_ID -e CFGUARD_CLIENT_SECRET cfguard audit --format sarif
#   docker run --rm cfguard demo
#
# Secrets come in through the environment (or a mounted file), never through build arguments or
# the command line. CFGUARD_HOME is /config, a volume: mount one to keep the installation salt and
# the lock files across cron runs (`-v cfguard-config:/config`).
#
# Base image: Node 24 on Debian bookworm (slim), the tag for people, the digest for the build:
#   node:24.18.0-bookworm-slim
#   sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d
# Update both together (`docker buildx imagetools inspect node:24-bookworm-slim`). The digest was
# not re-checked on the machine this file was written on: it reaches no image registry.
ARG NODE_IMAGE=node:24.18.0-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d

# --- build: compile, pack, install the tarball with its shrinkwrap, write the SBOM ---------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# --ignore-scripts: the build needs no install script (esbuild's is for the tests' tsx, libxmljs2's
# for XML SBOMs, which are not made here)
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json oclif.manifest.json README.md LICENSE* ./
COPY bin bin
COPY schemas schemas
COPY scripts scripts
COPY src src
# the same install steps as test/e2e/package.test.ts: /opt/cfguard/bin/cfguard, the production
# dependencies at the versions npm-shrinkwrap.json pins, /opt/cfguard/cfguard.cdx.json (CycloneDX)
RUN npm run build && node scripts/pack-install.js /opt/cfguard

# --- run: node and cfguard; no npm, npx, corepack or yarn; not root ------------------------------
FROM ${NODE_IMAGE}
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx \
      /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
 && groupadd --system --gid 10001 cfguard \
 && useradd --system --uid 10001 --gid cfguard --home-dir /home/cfguard --create-home \
      --shell /usr/sbin/nologin cfguard \
 && mkdir -p /config && chown cfguard:cfguard /config && chmod 0700 /config
COPY --from=build /opt/cfguard /opt/cfguard
# SHELL: oclif asks the user database for the login shell when SHELL is unset, and fails when the
# user has no entry there (`docker run --user 12345`, OpenShift's random uids)
ENV PATH=/opt/cfguard/bin:$PATH \
    CFGUARD_HOME=/config \
    SHELL=/bin/sh
LABEL org.opencontainers.image.title="cfguard" \
      org.opencontainers.image.description="Cloud Foundry identity audit, credential rotation and route alignment" \
      org.opencontainers.image.licenses="Apache-2.0"
VOLUME ["/config"]
USER 10001:10001
WORKDIR /home/cfguard
ENTRYPOINT ["cfguard"]
CMD ["--help"]
