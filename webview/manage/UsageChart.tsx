// Spend and tokens per local day as one uPlot chart: spend as bars on the left axis, input and output tokens
// as lines on the right. Colours, fonts and grid come from VS Code's theme variables, read again when the
// theme changes (VS Code swaps the body's class); the chart follows the panel's width.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { CostSummaryRow } from '../../server/protocol';
import { startOfLocalDate } from './dates';
import { dollars } from './format';

const HEIGHT = 260;
const DAY = 86_400;

function themeVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** The chart's series, from the day rows (every day of the range is a row; a day without requests is zeros). */
export function chartData(days: CostSummaryRow[]): uPlot.AlignedData {
  return [
    days.map((d) => startOfLocalDate(d.key).getTime() / 1000),
    days.map((d) => (d.total_cost_micros === null ? null : d.total_cost_micros / 1e6)),
    days.map((d) => d.input_tokens + d.cache_read_tokens + d.cache_creation_tokens),
    days.map((d) => d.output_tokens),
  ];
}

function options(width: number, days: CostSummaryRow[]): uPlot.Options {
  const fg = themeVar('--vscode-foreground', '#ccc');
  const grid = themeVar('--vscode-charts-lines', 'rgba(128,128,128,0.3)');
  const font = `11px ${themeVar('--vscode-font-family', 'sans-serif')}`;
  const spend = themeVar('--vscode-charts-blue', '#3794ff');
  const input = themeVar('--vscode-charts-green', '#89d185');
  const output = themeVar('--vscode-charts-orange', '#d18616');
  const axis = { stroke: fg, font, labelFont: font, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
  const compact = (v: number) => (v >= 1e6 ? `${(v / 1e6).toFixed(1)}M` : v >= 1e3 ? `${(v / 1e3).toFixed(0)}k` : String(v));
  return {
    width, height: HEIGHT,
    // Half a day either side, so the first and last days' bars are whole.
    scales: { x: { time: true, range: (_u, min, max) => [min - DAY / 2, max + DAY / 2] }, usd: { range: (_u, _min, max) => [0, Math.max(max, 0.01) * 1.1] }, tokens: { range: (_u, _min, max) => [0, Math.max(max, 1) * 1.1] } },
    series: [
      { label: 'Day', value: (_u, v) => (v === null ? '' : new Date(v * 1000).toLocaleDateString()) },
      {
        label: 'Spend', scale: 'usd', stroke: spend, fill: spend, width: 1, paths: uPlot.paths.bars?.({ size: [0.6, 40] }), points: { show: false },
        value: (_u, v, _s, i) => (i === null ? '' : v === null ? (days[i]?.requests ? 'unpriced' : '$0') : dollars(Math.round(v * 1e6))),
      },
      { label: 'Input tokens', scale: 'tokens', stroke: input, width: 2, value: (_u, v) => (v === null ? '' : Math.round(v).toLocaleString()) },
      { label: 'Output tokens', scale: 'tokens', stroke: output, width: 2, value: (_u, v) => (v === null ? '' : Math.round(v).toLocaleString()) },
    ],
    axes: [
      // Days, not hours: ticks on whole days (every day, 2, a week or a month apart as room allows).
      { ...axis, incrs: [DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY], space: 48, values: (_u, splits) => splits.map((v) => new Date(v * 1000).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })) },
      { ...axis, scale: 'usd', values: (_u, splits) => splits.map((v) => `$${v < 1 ? v.toFixed(2) : v.toFixed(0)}`), size: 56 },
      { ...axis, scale: 'tokens', side: 1, grid: { show: false }, values: (_u, splits) => splits.map(compact), size: 56 },
    ],
    legend: { live: true },
  };
}

export function UsageChart({ days }: { days: CostSummaryRow[] }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let plot = new uPlot(options(el.clientWidth || 600, days), chartData(days), el);
    const rebuild = () => { plot.destroy(); plot = new uPlot(options(el.clientWidth || 600, days), chartData(days), el); };
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth || 600, height: HEIGHT }));
    resize.observe(el);
    // A theme change swaps the body's classes (vscode-dark, vscode-light, vscode-high-contrast).
    const theme = new MutationObserver(rebuild);
    theme.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    return () => { resize.disconnect(); theme.disconnect(); plot.destroy(); };
  }, [days]);
  const priced = days.filter((d) => d.total_cost_micros !== null);
  return (
    <div class="usage-chart" ref={box} data-testid="usage-chart" data-days={days.length} data-priced-days={priced.length}
      data-spend-micros={priced.reduce((n, d) => n + (d.total_cost_micros ?? 0), 0)} data-tokens={days.reduce((n, d) => n + d.input_tokens + d.output_tokens, 0)} />
  );
}
