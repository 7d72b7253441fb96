/**
 * Opens the HTML report of a realistic fixture in headless Chromium (Debian package) and checks
 * what a reader gets: the title, the route map picture, working filters under the page's own CSP,
 * no request leaving the file, and no script smuggled in through an app name.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {pathToFileURL} from 'node:url'

import {expect} from 'chai'
import {type Browser, type Page, chromium} from 'playwright-core'

import {formatHtml} from '../../src/report/html.js'
import {ROOT} from '../helpers/cli.js'
import {HOSTILE_APP, RULES, auditResult, routeMap} from '../helpers/report-fixtures.js'

const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

describe('HTML report in a browser', function () {
  this.timeout(90_000)

  let dir: string
  let file: string
  let browser: Browser
  let page: Page
  const requests: string[] = []
  const violations: string[] = []
  const pageErrors: string[] = []

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cfguard-html-'))
    file = join(dir, 'report.html')
    writeFileSync(
      file,
      formatHtml(auditResult(), routeMap(), RULES, {compliance: 'soc2', toolVersion: '0.1.0'}),
    )
    browser = await chromium.launch({executablePath: CHROMIUM, args: ARGS})
    const context = await browser.newContext({viewport: {width: 1280, height: 900}})
    // Count every request; abort anything that is not the file itself so nothing leaves the machine.
    context.on('request', (r) => requests.push(r.url()))
    await context.route(
      (url) => url.protocol !== 'file:',
      (route) => route.abort(),
    )
    page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
    // Browser-side code as strings: the project compiles without the DOM library.
    await page.addInitScript({
      content: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI))`,
    })
    await page.goto(pathToFileURL(file).href, {waitUntil: 'load'})
    violations.push(...((await page.evaluate('window.__csp')) as string[]))
  })

  after(async () => {
    await browser?.close()
    if (dir) rmSync(dir, {recursive: true, force: true})
  })

  it('has the report title', async () => {
    expect(await page.title()).to.equal('cfguard audit — api.sys.example.com')
  })

  it('draws the route map with the domain and app names', async () => {
    const svg = page.locator('svg.route-map')
    expect(await svg.count()).to.equal(1)
    const text = await svg.textContent()
    for (const name of ['apps.example.com', 'apps.internal', 'secure.example.com', 'tcp.example.com']) {
      expect(text).to.contain(name)
    }
    for (const name of ['billing-api', 'checkout-blue', 'checkout-green', 'ledger', 'reports', 'mq-bridge']) {
      expect(text).to.contain(name)
    }
    const box = await svg.boundingBox()
    expect(box!.width).to.be.greaterThan(800)
    expect(box!.height).to.be.greaterThan(400)
  })

  it('made no request other than the file itself', () => {
    expect(requests).to.deep.equal([pathToFileURL(file).href])
  })

  it('did not run the script in the app name, and shows the name as text', async () => {
    expect(await page.evaluate('typeof window.__pwned')).to.equal('undefined')
    expect(await page.locator('img').count()).to.equal(0)
    expect(await page.locator('article.finding', {hasText: HOSTILE_APP}).count()).to.equal(1)
    expect(pageErrors).to.deep.equal([])
  })

  it('runs its own filter script under its CSP, with no violation', async () => {
    expect(violations).to.deep.equal([])
    expect(await page.locator('#filters').isVisible()).to.equal(true)
    const findings = page.locator('article.finding')
    expect(await findings.count()).to.equal(13)
    await page.locator('#filters input[data-sev="info"]').uncheck()
    expect(await page.locator('article.finding:visible').count()).to.equal(11)
    await page.locator('#q').fill('billing')
    const visible = await page.locator('article.finding:visible').allTextContents()
    expect(visible.length).to.be.greaterThan(0)
    for (const text of visible) expect(text.toLowerCase()).to.contain('billing')
    await page.locator('#q').fill('')
    await page.locator('#filters input[data-sev="info"]').check()
    expect(await page.locator('article.finding:visible').count()).to.equal(13)
  })

  it('takes a screenshot', async () => {
    // Kept after the run (overwritten by the next) so a person can look at the picture: in the
    // checkout's git-ignored test/.tmp, since the run's temporary root is removed at its end.
    const shots = join(ROOT, 'test/.tmp/html-report-screenshots')
    mkdirSync(shots, {recursive: true})
    const shot = join(shots, 'report.png')
    await page.screenshot({path: shot, fullPage: true})
    const png = readFileSync(shot)
    expect(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).to.equal(
      true,
    )
    expect(png.length).to.be.greaterThan(50_000)
    const map = join(shots, 'route-map.png')
    await page.locator('svg.route-map').screenshot({path: map})
    expect(readFileSync(map).length).to.be.greaterThan(20_000)
    console.log(`      screenshots: ${shot}, ${map}`)
  })
})
