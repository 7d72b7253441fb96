/** Groups request paths by endpoint for the per-endpoint request table (pure). */

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * `/v3/apps/<guid>/processes/web/stats` → `/v3/apps/:guid/processes/web/stats`;
 * `/oauth/clients/<client id>` → `/oauth/clients/:id`; numbers → `:n`.
 */
export function endpointOf(path: string): string {
  const parts = path.split('/')
  return parts
    .map((part, i) =>
      GUID.test(part)
        ? ':guid'
        : /^\d+$/.test(part)
          ? ':n'
          : parts[i - 1] === 'clients' && parts[i - 2] === 'oauth'
            ? ':id'
            : part,
    )
    .join('/')
}
