import {createHash} from 'node:crypto'

import {expect} from 'chai'
import {XMLValidator} from 'fast-xml-parser'

import type {RouteMap} from '../../../src/model/route-map.js'
import {formatHtml} from '../../../src/report/html.js'
import {MAX_DRAWN_ROUTES, truncate} from '../../../src/report/html-svg.js'
import {
  HOSTILE_APP,
  RULES,
  allKindsResult,
  auditResult,
  emptyResult,
  routeMap,
} from '../../helpers/report-fixtures.js'

const html = (map: RouteMap | null = routeMap()) =>
  formatHtml(auditResult(), map, RULES, {compliance: 'soc2'})

function svgOf(page: string): string {
  const start = page.indexOf('<svg')
  const end = page.indexOf('</svg>')
  expect(start, 'no svg in the page').to.be.greaterThan(-1)
  return page.slice(start, end + '</svg>'.length)
}

describe('report/html', () => {
  it('escapes user data: the only script element is the report’s own', () => {
    const page = html()
    expect(page.match(/<script/g)).to.have.length(1)
    expect(page.match(/<img/g)).to.equal(null)
    expect(page).to.contain(
      'legacy&lt;script&gt;window.__pwned=true&lt;/script&gt;&lt;img src=&quot;http://127.0.0.1:9/leak&quot;',
    )
    expect(page.includes(HOSTILE_APP)).to.equal(false)
  })

  it('references nothing outside the file', () => {
    const page = html()
    expect(page).not.to.match(/<[a-z][^>]*\ssrc\s*=/i)
    expect(page).not.to.match(/url\(/i)
    expect(page).not.to.match(/@import/i)
    const hrefs = [...page.matchAll(/href="([^"]*)"/g)].map((m) => m[1])
    expect(hrefs.length).to.be.greaterThan(0)
    for (const href of hrefs) expect(href, 'link leaves the page').to.match(/^#/)
  })

  it('pins its own script with a Content-Security-Policy hash and allows nothing else', () => {
    const page = html()
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1]!
    const hash = createHash('sha256').update(script).digest('base64')
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)![1]!
    expect(csp).to.contain(`script-src 'sha256-${hash}'`)
    expect(csp).to.contain("default-src 'none'")
    expect(csp).not.to.contain('unsafe-eval')
    expect(csp).not.to.match(/script-src[^;]*unsafe-inline/)
  })

  it('draws the route map as well-formed SVG with every domain, route and app', () => {
    const svg = svgOf(html())
    expect(XMLValidator.validate(svg)).to.equal(true)
    const map = routeMap()
    for (const domain of map.domains) {
      expect(svg).to.contain(`>${domain.name}<`)
      for (const route of domain.routes) {
        expect(svg).to.contain(`>${truncate(route.url, 36)}`.replace('…', ''))
        for (const d of route.destinations) {
          if (d.appName !== HOSTILE_APP) expect(svg).to.contain(`>${d.appName}<`)
        }
      }
    }
  })

  it('draws one node per app process, however many routes reach it', () => {
    const svg = svgOf(html())
    expect(svg.match(/<g class="app[ "]/g)).to.have.length(10)
    expect(svg.match(/>billing-api</g)).to.have.length(1)
  })

  it('colours instances by state and marks findings on routes and apps, linked to the list', () => {
    const page = html()
    const svg = svgOf(page)
    const reports = svg.slice(svg.indexOf('>reports<'))
    expect(reports.slice(0, reports.indexOf('</g>')).match(/class="chip crashed"/g)).to.have.length(2)
    expect(svg).to.contain('0/2 running, 2 crashed')
    expect(svg).to.contain('1/2 running, 1 starting')
    expect(svg).to.match(/<g class="route sev-critical"><title>ledger\.apps\.example\.com/)
    expect(svg).to.match(/<g class="app sev-high"><title>billing-api \(web\)/)
    expect(svg).to.match(/<g class="route sev-low orphan">/)
    const anchors = [...svg.matchAll(/<a href="#(f-[0-9a-f]+)">/g)].map((m) => m[1]!)
    expect(anchors.length).to.be.greaterThan(5)
    for (const id of anchors) expect(page).to.contain(`id="${id}"`)
  })

  it('draws the route map the result carries when none is passed', () => {
    const page = formatHtml({...auditResult(), routeMap: routeMap()}, null, RULES)
    expect(svgOf(page)).to.contain('>mq-bridge<')
  })

  it('says so when there is no route map or it is empty', () => {
    expect(html(null)).to.contain('No route map in this report')
    expect(html({domains: []})).to.contain('The route map is empty')
  })

  it('caps the drawing on huge foundations and says how many routes were left out', () => {
    const map = routeMap()
    const first = map.domains[0]!
    const template = first.routes[0]!
    const routes = Array.from({length: MAX_DRAWN_ROUTES + 25}, (_, i) => ({
      ...template,
      guid: `r${i}`,
      url: `r${i}.apps.example.com`,
    }))
    const page = formatHtml(auditResult(), {domains: [{...first, routes}]}, RULES)
    expect(svgOf(page).match(/<g class="route/g)).to.have.length(MAX_DRAWN_ROUTES)
    expect(page).to.contain('25 more routes not drawn')
  })

  it('shows the verdict, the severity counts, the gaps and the audit events created', () => {
    const page = html()
    expect(page).to.contain('Fails the gate: 5 findings at or above <code>high</code> (exit 3).')
    expect(page).to.contain(
      '<div class="card sev sev-high"><div class="n">4</div><div class="l">high</div></div>',
    )
    expect(page).to.contain(
      '<b>user-provided service credentials (not read)</b> because 403 CF-NotAuthorized',
    )
    expect(page).to.contain('<b>6</b> audit events created')
    expect(formatHtml(emptyResult(), null, RULES)).to.contain('Passes the gate')
    expect(formatHtml(emptyResult(), null, RULES, {failOn: 'never'})).to.contain('Not gating')
  })

  it('lists every finding with rule docs, evidence and fingerprint', () => {
    const page = html()
    expect(page.match(/<article class="finding /g)).to.have.length(13)
    expect(page).to.contain('<dt>variable</dt><dd class="mono">CLIENT_SECRET</dd>')
    expect(page).to.contain('Anyone with SpaceDeveloper or read access')
    expect(page).to.contain('id="f-2a1f7e3b0c8e5d4f9a7b2c3d4e5f6a02"')
    const multi = formatHtml(allKindsResult(), null, RULES)
    expect(multi).to.contain('[us-1] uaa client <b>uaa-client-8</b>')
  })

  it('adds the SOC 2 table and the suppressed findings', () => {
    const page = html()
    expect(page).to.contain('<h2 id="soc2">SOC 2 trust-services criteria</h2>')
    expect(page).to.contain('<td><b>CC6.6</b>')
    expect(page).to.contain('<h2 id="suppressed">Suppressed (1)</h2>')
    expect(formatHtml(auditResult(), null, RULES)).not.to.contain('id="soc2"')
  })

  it('redacts secret-shaped text', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
    const result = auditResult()
    result.findings[3]!.message = `token ${jwt}`
    const map = routeMap()
    map.domains[0]!.routes[0]!.routeService = {
      url: 'https://u:p4ssw0rd@guard.example.com',
      serviceInstance: jwt,
    }
    const page = formatHtml(result, map, RULES)
    expect(page.includes(jwt)).to.equal(false, 'token leaked into HTML')
    expect(page.includes('p4ssw0rd')).to.equal(false, 'password leaked into HTML')
  })
})
