/** The console's only stylesheet, served as a file (`/console/style.css`): the CSP allows no inline style. */
export const CONSOLE_CSS = `
:root { --fg:#1b1f24; --muted:#57606a; --line:#d0d7de; --bg:#fff; --head:#0b4f6c; --accent:#0a66c2;
  --ok:#1a7f37; --bad:#cf222e; --warn:#9a6700; --out:#0a66c2; --in:#8250df; }
* { box-sizing: border-box; }
body { margin:0; font: 15px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif;
  color:var(--fg); background:var(--bg); }
a { color:var(--accent); }
:focus-visible { outline:3px solid #f0a000; outline-offset:2px; }
.skip { position:absolute; left:-999px; top:0; }
.skip:focus { left:8px; background:#fff; padding:4px 8px; z-index:2; }
header.top { display:flex; flex-wrap:wrap; gap:8px 24px; align-items:center; padding:8px 24px;
  background:var(--head); color:#fff; }
header.top a, header.top .who { color:#fff; }
header.top .brand { font-weight:600; font-size:17px; margin-right:auto; }
nav ul { display:flex; flex-wrap:wrap; gap:4px 16px; list-style:none; margin:0; padding:0; }
nav a[aria-current="page"] { font-weight:700; text-decoration-thickness:3px; }
form.inline { display:inline; margin:0; }
main { padding:16px 24px 48px; max-width:1400px; }
h1 { font-size:22px; margin:8px 0 16px; }
h2 { font-size:18px; margin:24px 0 8px; }
h3 { font-size:16px; margin:16px 0 8px; }
table { border-collapse:collapse; width:100%; margin:8px 0; }
th, td { text-align:left; padding:4px 8px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#f6f8fa; font-weight:600; }
td.num { text-align:right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x:auto; }
form.grid, div.grid { display:grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap:8px 16px; align-items:end; }
form.stack { display:flex; flex-direction:column; gap:8px; max-width:900px; }
label { display:flex; flex-direction:column; gap:2px; font-weight:500; }
input, select, textarea, button { font:inherit; }
input, select, textarea { padding:4px 6px; border:1px solid #8c959f; border-radius:4px; background:#fff; }
textarea { font-family: ui-monospace, Menlo, Consolas, monospace; font-size:13px; min-height:12em; }
button { padding:5px 14px; border-radius:4px; border:1px solid var(--accent); background:var(--accent); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--accent); }
a.button { display:inline-block; padding:5px 14px; border-radius:4px; border:1px solid var(--accent); background:var(--accent); color:#fff; text-decoration:none; }
header.top button { background:transparent; border-color:#fff; }
.hint { color:var(--muted); font-size:13px; }
.ok { color:var(--ok); } .bad { color:var(--bad); } .warn { color:var(--warn); }
.notice { border-left:4px solid var(--ok); background:#f0fff4; padding:8px 12px; margin:8px 0; }
.problem { border-left:4px solid var(--bad); background:#fff5f5; padding:8px 12px; margin:8px 0; }
.side { display:grid; grid-template-columns: 1fr 1fr; gap:16px; }
@media (max-width: 900px) { .side { grid-template-columns: 1fr; } main { padding:12px; } }
pre { background:#f6f8fa; border:1px solid var(--line); padding:8px; overflow:auto; max-height:480px;
  font-size:13px; white-space:pre-wrap; word-break:break-all; }
ol.timeline { list-style:none; padding:0; border-left:3px solid var(--line); margin-left:8px; }
ol.timeline li { padding:2px 0 8px 16px; position:relative; }
ol.timeline li::before { content:""; position:absolute; left:-8px; top:8px; width:13px; height:13px;
  border-radius:50%; background:var(--accent); }
ol.timeline li.dead::before, ol.timeline li.rejected::before { background:var(--bad); }
ol.timeline li.delivered::before, ol.timeline li.receipt-verified::before { background:var(--ok); }
svg.chart { display:block; margin:4px 0 12px; }
svg.chart .out { fill:var(--out); } svg.chart .in { fill:var(--in); }
svg.chart .axis { stroke:var(--line); } svg.chart text { font-size:11px; fill:var(--muted); }
.legend .out { color:var(--out); } .legend .in { color:var(--in); }
ul.plain { list-style:none; margin:0; padding:0; }
dl { display:grid; grid-template-columns:max-content 1fr; gap:4px 16px; margin:8px 0; }
dd { margin:0; word-break:break-all; } dd[lang] { grid-column:2; color:var(--muted); }
.cards { display:flex; flex-wrap:wrap; gap:16px; }
.cards section { flex:1 1 420px; min-width:0; }
/* Tables with many columns (partner health, dead letters) take the whole row: every column stays visible from 1280 px. */
.cards section.wide { flex-basis:100%; }
td.num, th.num { white-space:nowrap; }
code.url { word-break:break-all; }
td.nowrap { white-space:nowrap; }
span.digest { word-break:break-all; font-size:12px; }
progress { width:7em; vertical-align:middle; }
`;
