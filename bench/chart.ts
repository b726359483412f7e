/**
 * A hand-written SVG line chart of throughput against threads: rows of panels (compression
 * above, decompression below), one panel per dataset, the panels of a row on a shared y scale
 * (so they compare at a glance), a line per multi-threaded tool, dashed horizontal lines for
 * single-threaded references, and a dotted line at the core count.
 */

export interface ChartSeries {
  readonly name: string;
  /** [threads, MB/s] pairs. */
  readonly points: readonly (readonly [number, number])[];
}

export interface ChartReference {
  readonly name: string;
  readonly value: number;
}

export interface ChartPanel {
  readonly title: string;
  readonly series: readonly ChartSeries[];
  readonly references: readonly ChartReference[];
}

/** One row of panels, with its own y scale. */
export interface ChartRow {
  /** Prefixed to each panel's title, e.g. "compression". */
  readonly label: string;
  readonly yLabel: string;
  readonly panels: readonly ChartPanel[];
}

export interface Chart {
  readonly title: string;
  readonly subtitle: string;
  readonly xLabel: string;
  readonly rows: readonly ChartRow[];
  /** Where to draw the core-count marker. */
  readonly cores: number;
}

/**
 * Colour-blind-safe colours (Okabe-Ito, then two of Tol's), in series order; references use the
 * greys.
 */
const LINE_COLOURS = [
  '#d55e00',
  '#cc79a7',
  '#0072b2',
  '#009e73',
  '#e69f00',
  '#56b4e9',
  '#882255',
  '#999933',
];
const REFERENCE_COLOURS = ['#000000', '#7f7f7f', '#b0b0b0'];

const PANEL_WIDTH = 440;
const PANEL_HEIGHT = 300;
const PLOT = { left: 60, right: 20, top: 30, bottom: 50 } as const;
const HEADER = 64;
const LEGEND_ROW = 20;
// Two columns: the tool families' names (compression / decompression) are long.
const LEGEND_COLUMNS = 2;

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const round = (value: number): string => String(Math.round(value * 10) / 10);

/** A round axis maximum at or above `max` and a step that gives four to eight ticks. */
function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.25 };
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  return { top: Math.ceil(max / step) * step, step };
}

function colourOf(names: readonly string[], name: string, palette: readonly string[]): string {
  const index = Math.max(0, names.indexOf(name));
  return palette[index % palette.length] ?? '#000000';
}

/** Renders `chart` as a standalone SVG document. */
export function renderChart(chart: Chart): string {
  const panels = chart.rows.flatMap((row) => row.panels);
  const seriesNames = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name)))];
  const referenceNames = [...new Set(panels.flatMap((p) => p.references.map((r) => r.name)))];
  const allThreads = panels.flatMap((p) => p.series.flatMap((s) => s.points.map(([t]) => t)));
  const maxThreads = Math.max(2, chart.cores, ...allThreads);

  const plotWidth = PANEL_WIDTH - PLOT.left - PLOT.right;
  const plotHeight = PANEL_HEIGHT - PLOT.top - PLOT.bottom;
  const x = (threads: number): number => PLOT.left + ((threads - 1) / (maxThreads - 1)) * plotWidth;

  const width = PANEL_WIDTH * Math.max(1, ...chart.rows.map((row) => row.panels.length));
  const legendEntries = seriesNames.length + referenceNames.length + 1;
  const legendHeight = Math.ceil(legendEntries / LEGEND_COLUMNS) * LEGEND_ROW + 16;
  const height = HEADER + PANEL_HEIGHT * chart.rows.length + legendHeight;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<title>${escape(chart.title)}</title>`,
    // An opaque background keeps the chart readable on dark pages.
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${escape(chart.title)}</text>`,
    `<text x="${width / 2}" y="46" text-anchor="middle" fill="#444444">${escape(chart.subtitle)}</text>`,
  ];

  chart.rows.forEach((row, rowIndex) => {
    const maxValue = Math.max(
      0,
      ...row.panels.flatMap((p) => [
        ...p.series.flatMap((s) => s.points.map(([, v]) => v)),
        ...p.references.map((r) => r.value),
      ]),
    );
    const { top, step } = niceScale(maxValue * 1.05);
    const y = (value: number): number => PLOT.top + plotHeight - (value / top) * plotHeight;
    row.panels.forEach((panel, index) => {
      out.push(
        `<g transform="translate(${index * PANEL_WIDTH},${HEADER + rowIndex * PANEL_HEIGHT})">`,
      );
      out.push(
        `<text x="${PLOT.left + plotWidth / 2}" y="16" text-anchor="middle" font-weight="bold">${escape(`${row.label}: ${panel.title}`)}</text>`,
      );
      panelBody(panel, row.yLabel, y, top, step);
    });
  });

  function panelBody(
    panel: ChartPanel,
    yLabel: string,
    y: (value: number) => number,
    top: number,
    step: number,
  ): void {
    // Grid and y axis labels.
    for (let tick = 0; tick <= Math.round(top / step); tick++) {
      const value = tick * step;
      const py = round(y(value));
      out.push(
        `<line x1="${PLOT.left}" y1="${py}" x2="${PLOT.left + plotWidth}" y2="${py}" stroke="#e5e5e5"/>`,
        `<text x="${PLOT.left - 6}" y="${py}" dy="4" text-anchor="end">${round(value)}</text>`,
      );
    }
    // x axis ticks.
    for (let threads = 1; threads <= maxThreads; threads++) {
      const px = round(x(threads));
      out.push(
        `<line x1="${px}" y1="${PLOT.top + plotHeight}" x2="${px}" y2="${PLOT.top + plotHeight + 5}" stroke="#333333"/>`,
        `<text x="${px}" y="${PLOT.top + plotHeight + 18}" text-anchor="middle">${threads}</text>`,
      );
    }
    out.push(
      `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.top + plotHeight}" stroke="#333333"/>`,
      `<line x1="${PLOT.left}" y1="${PLOT.top + plotHeight}" x2="${PLOT.left + plotWidth}" y2="${PLOT.top + plotHeight}" stroke="#333333"/>`,
      `<text x="${PLOT.left + plotWidth / 2}" y="${PLOT.top + plotHeight + 38}" text-anchor="middle">${escape(chart.xLabel)}</text>`,
      `<text transform="translate(16,${PLOT.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`,
    );
    // Past this line threads outnumber cores, so no tool should gain further.
    const coreX = round(x(chart.cores));
    out.push(
      `<line x1="${coreX}" y1="${PLOT.top}" x2="${coreX}" y2="${PLOT.top + plotHeight}" stroke="#999999" stroke-dasharray="2 3"/>`,
      `<text x="${coreX}" y="${PLOT.top + 12}" dx="4" fill="#777777" font-size="10">${chart.cores} cores</text>`,
    );
    for (const reference of panel.references) {
      const colour = colourOf(referenceNames, reference.name, REFERENCE_COLOURS);
      const py = round(y(reference.value));
      out.push(
        `<line x1="${PLOT.left}" y1="${py}" x2="${PLOT.left + plotWidth}" y2="${py}" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      );
    }
    for (const series of panel.series) {
      const colour = colourOf(seriesNames, series.name, LINE_COLOURS);
      const points = [...series.points].sort(([a], [b]) => a - b);
      const path = points.map(([t, v]) => `${round(x(t))},${round(y(v))}`).join(' ');
      out.push(
        `<polyline points="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`,
        ...points.map(
          ([t, v]) =>
            `<circle cx="${round(x(t))}" cy="${round(y(v))}" r="3.5" fill="${colour}"><title>${escape(`${series.name}, ${t} threads: ${v.toFixed(1)} MB/s`)}</title></circle>`,
        ),
      );
    }
    out.push('</g>');
  }

  // One legend for all panels: the same tool has the same colour everywhere.
  const legendTop = HEADER + PANEL_HEIGHT * chart.rows.length + 8;
  const columnWidth = width / LEGEND_COLUMNS;
  const entries = [
    ...seriesNames.map((name) => ({
      name,
      swatch: `stroke="${colourOf(seriesNames, name, LINE_COLOURS)}" stroke-width="2"`,
    })),
    ...referenceNames.map((name) => ({
      name: `${name} (1 thread)`,
      swatch: `stroke="${colourOf(referenceNames, name, REFERENCE_COLOURS)}" stroke-width="1.5" stroke-dasharray="6 4"`,
    })),
    { name: 'core count', swatch: 'stroke="#999999" stroke-dasharray="2 3"' },
  ];
  entries.forEach((entry, i) => {
    const left = 20 + (i % LEGEND_COLUMNS) * columnWidth;
    const middle = legendTop + Math.floor(i / LEGEND_COLUMNS) * LEGEND_ROW + 8;
    out.push(
      `<line x1="${left}" y1="${middle}" x2="${left + 28}" y2="${middle}" ${entry.swatch}/>`,
      `<text x="${left + 36}" y="${middle}" dy="4">${escape(entry.name)}</text>`,
    );
  });
  out.push('</svg>', '');
  return out.join('\n');
}
