// The attendance chart: uPlot on a canvas, loaded only by the dashboards page (its own chunk), with the
// context events drawn as labelled vertical markers. The same figures are in the table beside it: the
// canvas is a picture of them, not the only way to read them.
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export interface ChartPoint {
  /** The period's first day at 00:00 UTC, in seconds: the chart's clock is UTC so days do not shift. */
  x: number;
  /** Visits, or null when the figure is suppressed (a gap, never a zero). */
  y: number | null;
}

export interface ChartMarker {
  x: number;
  label: string;
  /** Printed after the (shortened) label, never cut: e.g. how many people the event concerned. */
  detail?: string;
}

const INK = "#0b5394";
const MARKER = "#8a2a00";

function drawMarkers(markers: readonly ChartMarker[]) {
  return (u: uPlot) => {
    const { ctx } = u;
    const { top, height, left, width } = u.bbox;
    ctx.save();
    ctx.strokeStyle = MARKER;
    ctx.fillStyle = MARKER;
    ctx.lineWidth = 2 * uPlot.pxRatio;
    ctx.setLineDash([6 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
    ctx.font = `${12 * uPlot.pxRatio}px system-ui, sans-serif`;
    ctx.textBaseline = "top";
    markers.forEach((marker, index) => {
      const x = Math.round(u.valToPos(marker.x, "x", true));
      if (x < left || x > left + width) return;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, top + height);
      ctx.stroke();
      // Labels step down so neighbouring events do not overwrite each other.
      const y = top + 4 * uPlot.pxRatio + (index % 4) * 14 * uPlot.pxRatio;
      const short = marker.label.length > 28 ? `${marker.label.slice(0, 27)}…` : marker.label;
      const text = marker.detail ? `${short} · ${marker.detail}` : short;
      const room = left + width - x;
      const measured = ctx.measureText(text).width;
      ctx.fillText(text, measured + 6 > room ? x - measured - 4 : x + 4, y);
    });
    ctx.restore();
  };
}

/** The chart; its size follows its container's width. */
export function AttendanceChart(props: {
  points: readonly ChartPoint[];
  markers: readonly ChartMarker[];
  seriesLabel: string;
  label: string;
  /** Label the x axis by month (YYYY-MM) rather than by day (MM-DD). */
  monthly: boolean;
  /** The axes' titles, under the x axis and beside the y axis. */
  xTitle: string;
  yTitle: string;
  /** The legend's entries: the line, an event's dashed marker, a gap (a hidden figure). */
  legend: { series: string; event: string; gap: string };
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const target = box.current;
    if (!target) return;
    const width = () => Math.max(240, target.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 260,
        legend: { show: false },
        cursor: { show: false },
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Etc/UTC"),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(5, max * 1.15)] } },
        axes: [
          {
            stroke: "#1a1a1a",
            label: props.xTitle,
            labelSize: 24,
            // Ticks a whole number of days apart: a point is a day or longer, never an hour.
            incrs: [86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 28 * 86_400, 91 * 86_400, 365 * 86_400],
            // Dates as the period codes write them, not clock times (every point is a day or longer).
            values: (_u, splits) =>
              splits.map((split) => {
                const iso = new Date(split * 1000).toISOString();
                return props.monthly ? iso.slice(0, 7) : iso.slice(5, 10);
              }),
          },
          { stroke: "#1a1a1a", label: props.yTitle, labelSize: 24 },
        ],
        series: [
          {},
          {
            label: props.seriesLabel,
            stroke: INK,
            width: 2,
            fill: "rgba(11, 83, 148, 0.12)",
            points: { show: true, size: 6 },
            spanGaps: false,
          },
        ],
        hooks: { draw: [drawMarkers(props.markers)] },
      },
      [props.points.map((point) => point.x), props.points.map((point) => point.y)],
      target,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: 260 }));
    resize.observe(target);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.points, props.markers, props.seriesLabel, props.monthly, props.xTitle, props.yTitle]);
  return (
    <figure class="chart-figure">
      <div class="chart" ref={box} role="img" aria-label={props.label} />
      <figcaption>
        <ul class="chart-legend">
          <li>
            <span class="swatch swatch-line" aria-hidden="true" /> {props.legend.series}
          </li>
          <li>
            <span class="swatch swatch-event" aria-hidden="true" /> {props.legend.event}
          </li>
          <li>
            <span class="swatch swatch-gap" aria-hidden="true" /> {props.legend.gap}
          </li>
        </ul>
      </figcaption>
    </figure>
  );
}
