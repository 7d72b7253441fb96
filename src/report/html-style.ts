/** The HTML report's stylesheet and its one small script (filtering; the page reads fine without it). */

export const STYLE = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--edge:#a3acb9;
--critical:#7e22ce;--high:#dc2626;--medium:#ea580c;--low:#ca8a04;--info:#64748b;
--running:#16a34a;--starting:#0284c7;--crashed:#dc2626;--down:#9ca3af;--unroutable:#f59e0b;
--mono:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace}
@media (prefers-color-scheme:dark){:root{--bg:#0f1117;--card:#181b23;--ink:#e5e7eb;--muted:#9aa3b2;--line:#2a2f3a;--edge:#5b6473}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 24px 48px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:32px 0 12px}h3{font-size:15px;margin:20px 0 8px}
.sub{color:var(--muted);margin:0}
code,.mono{font-family:var(--mono);font-size:12.5px}
.verdict{margin:18px 0 0;padding:10px 14px;border-radius:8px;font-weight:600;border:1px solid}
.verdict.fail{background:#fef2f2;border-color:#fecaca;color:#991b1b}
.verdict.pass{background:#f0fdf4;border-color:#bbf7d0;color:#166534}
.verdict.off{background:var(--card);border-color:var(--line);color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(5,1fr) 1.6fr;gap:12px;margin-top:18px}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.card .n{font-size:26px;font-weight:700;line-height:1.1}.card .l{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.card.sev{border-top:4px solid var(--c)}.card.sev .n{color:var(--c)}.card.zero{opacity:.55}
.card.cov .n{font-size:15px;font-weight:600}
.sev-critical{--c:var(--critical)}.sev-high{--c:var(--high)}.sev-medium{--c:var(--medium)}.sev-low{--c:var(--low)}.sev-info{--c:var(--info)}
.gaps{background:#fffbeb;border:1px solid #fde68a;color:#713f12;border-radius:8px;padding:10px 14px;margin-top:14px}
.gaps ul{margin:6px 0 0;padding-left:20px}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px}
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;font-size:12.5px;color:var(--muted);margin-bottom:10px}
.legend .sw{display:inline-block;width:11px;height:11px;border-radius:3px;vertical-align:-1px;margin-right:5px;background:var(--c)}
.legend .dot{border-radius:50%}
.legend .swo{background:none;border:1.5px dashed var(--down)}
.legend b{color:var(--ink);font-weight:600;margin-right:2px}
.map-scroll{overflow-x:auto}
svg.route-map{display:block;max-width:100%;height:auto;font-family:inherit}
.route-map .edge{fill:none;stroke:var(--edge);stroke-width:1.5}.route-map .edge.muted{stroke-dasharray:4 3}
.route-map .col-head{font-size:10.5px;letter-spacing:.08em;fill:var(--muted);font-weight:600}
.route-map .name{font-size:12.5px;font-weight:600;fill:var(--ink)}
.route-map .meta{font-size:10.5px;fill:var(--muted)}
.route-map .domain rect{fill:#eef2ff;stroke:#c7d2fe}
.route-map .domain.internal rect{fill:#ecfeff;stroke:#a5f3fc}
.route-map .domain.tcp rect{fill:#f5f3ff;stroke:#ddd6fe}
.route-map .tag{font-weight:600;fill:#4338ca}.route-map .tag.public{fill:#b45309}
.route-map .route>rect:first-of-type,.route-map .app>rect:first-of-type{fill:var(--card);stroke:#cbd5e1;stroke-width:1.2}
.route-map .route.orphan>rect{stroke-dasharray:5 3}
.route-map .app.stopped>rect:first-of-type{fill:#f3f4f6}
.route-map [class*="sev-"]>rect:first-of-type{stroke:var(--c);stroke-width:2;fill:color-mix(in srgb,var(--c) 7%,var(--card))}
.route-map .marker{fill:var(--c)}
.route-map .marker-count{font-size:10.5px;font-weight:700;fill:#fff;text-anchor:middle}
.route-map .chip.running{fill:var(--running)}.route-map .chip.starting{fill:var(--starting)}
.route-map .chip.crashed{fill:var(--crashed)}.route-map .chip.down{fill:var(--down)}
.route-map .chip.unroutable{fill:var(--unroutable)}
.route-map .chip.missing,.route-map .chip.unknown{fill:none;stroke:var(--down);stroke-dasharray:2 2}
.route-map .chip-label{font-size:11px;fill:var(--muted)}
.route-map .note{font-size:12px;fill:var(--muted)}
@media (prefers-color-scheme:dark){.verdict.fail{background:#3b1114;border-color:#7f1d1d;color:#fecaca}.verdict.pass{background:#0f2e1b;border-color:#166534;color:#bbf7d0}.gaps{background:#33260a;border-color:#78580f;color:#fde68a}.route-map .route>rect:first-of-type,.route-map .app>rect:first-of-type{stroke:#475569}.route-map .domain rect{fill:#1e2340;stroke:#3b4476}.route-map .domain.internal rect{fill:#10303a;stroke:#1f5866}.route-map .domain.tcp rect{fill:#2a2144;stroke:#4c3d7a}.route-map .tag{fill:#a5b4fc}.route-map .app.stopped>rect:first-of-type{fill:#23262e}}
#filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-bottom:10px}
#filters label{border:1px solid var(--line);border-left:4px solid var(--c);border-radius:999px;padding:2px 10px;cursor:pointer;background:var(--card);font-size:12.5px}
#filters input[type=search]{flex:1;min-width:200px;padding:5px 10px;border:1px solid var(--line);border-radius:6px;background:var(--card);color:var(--ink)}
.finding{background:var(--card);border:1px solid var(--line);border-left:4px solid var(--c);border-radius:8px;padding:10px 14px;margin:8px 0}
.finding header{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:baseline}
.pill{display:inline-block;border-radius:999px;padding:0 8px;font-size:11px;font-weight:700;text-transform:uppercase;color:#fff;background:var(--c)}
.finding .title{font-weight:600}
.finding .res{color:var(--muted)}
.finding p{margin:6px 0 0}
.finding .fix{margin-top:6px}.finding .fix b{color:var(--muted);font-weight:600}
.finding details{margin-top:6px;color:var(--muted)}.finding summary{cursor:pointer;font-size:12.5px}
dl.ev{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px;margin:6px 0}dl.ev dt{font-weight:600}dl.ev dd{margin:0}
table{border-collapse:collapse;width:100%;background:var(--card);border:1px solid var(--line);border-radius:8px}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.ok{color:var(--running);font-weight:600}
nav{display:flex;gap:16px;margin-top:14px;font-size:13px}nav a{color:var(--muted);text-decoration:none;border-bottom:1px dotted var(--muted)}nav a:hover{color:var(--ink)}
footer{margin-top:36px;color:var(--muted);font-size:12px}
@media (max-width:900px){.cards{grid-template-columns:repeat(3,1fr)}}
@media print{#filters{display:none!important}body{background:#fff}.finding,.card,.panel{break-inside:avoid}}
`

export const SCRIPT = `(function(){var boxes=[].slice.call(document.querySelectorAll('#filters input[data-sev]'));var q=document.getElementById('q');function apply(){var on={};boxes.forEach(function(b){if(b.checked)on[b.getAttribute('data-sev')]=1});var t=(q.value||'').toLowerCase();[].forEach.call(document.querySelectorAll('.finding'),function(el){el.hidden=!(on[el.getAttribute('data-sev')]&&el.textContent.toLowerCase().indexOf(t)>=0)});[].forEach.call(document.querySelectorAll('.sev-group'),function(g){g.hidden=!g.querySelector('.finding:not([hidden])')})}boxes.forEach(function(b){b.addEventListener('change',apply)});q.addEventListener('input',apply);document.getElementById('filters').hidden=false})();`
