// SPDX-License-Identifier: BSD-3-Clause
/*
 * sim/out/report.c: the HTML report (see report.h), SVG written by hand.
 *
 * Why not gnuplot or matplotlib: the figures are three (a CDF, two
 * stacked bar charts), and drawing them here costs ~600 lines with no
 * runtime dependency, on a cluster node as on a laptop, and the same bytes
 * from the same input (merge = compare, checked by the tests).
 *
 * Coordinates are printed with one decimal: sub-pixel exact enough, and
 * small files.
 */
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "sim/out/report.h"

/* Okabe & Ito's colour-blind-safe palette (black last). */
static const char *const colour[] = { "#0072B2", "#D55E00", "#009E73", "#CC79A7",
				      "#E69F00", "#56B4E9", "#999933", "#000000" };
static const char *const dash[] = { "", "9 4", "2 3", "12 4 2 4", "5 2", "1 5", "14 3 3 3 3 3", "6 6" };
#define NSTYLE 8
enum marker { M_CIRCLE, M_SQUARE, M_TRIANGLE, M_DIAMOND, M_TRIANGLE_DOWN, M_CROSS, M_PLUS, M_STAR };

/* The stages e2e passes through, in order (the report's stacked bar). */
static const enum sim_span stages[] = { SIM_SPAN_TOP_HALF,	    SIM_SPAN_SEND_TO_PENDING,
					 SIM_SPAN_PENDING_TO_TAKEN,  SIM_SPAN_TAKEN_TO_FETCHED,
					 SIM_SPAN_FETCHED_TO_BH_CTX, SIM_SPAN_BH_CTX_TO_ENTER };
static const char *const stage_label[] = { "source → top half", "send → NS pending", "pending → taken",
					   "taken → value fetched", "fetched → BH context", "BH context → enters TEE" };
#define NSTAGES 6
static const char *const stage_colour[] = { "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00" };
static const char *const world_label[] = { "normal world", "secure world", "EL3" };
static const char *const world_colour[] = { "#56B4E9", "#D55E00", "#000000" };

/* ---- text ------------------------------------------------------------------------------------- */

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				fputc(*s, f);
		}
	}
}

/* A latency in microseconds, to about 3 significant digits. */
static void fmt_us(char *b, size_t n, double us)
{
	if (us < 10)
		snprintf(b, n, "%.2f", us);
	else if (us < 1000)
		snprintf(b, n, "%.1f", us);
	else
		snprintf(b, n, "%.0f", us);
}

static double us_of(uint64_t ps) { return (double)ps / 1e6; }

/* A tick label: "0.1", "2", "5000". */
static void fmt_tick(char *b, size_t n, double v)
{
	snprintf(b, n, "%g", v);
}

/* A step of 1, 2 or 5 times a power of ten near @range / @ticks. */
static double nice_step(double range, int ticks)
{
	double raw = range / ticks, p = pow(10, floor(log10(raw))), m = raw / p;
	return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/* ---- SVG pieces ------------------------------------------------------------------------------- */

static void marker(FILE *f, int shape, double x, double y, const char *col)
{
	const double r = 5;
	switch (shape % NSTYLE) {
	case M_CIRCLE:
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\"/>", x, y,
			r, col);
		break;
	case M_SQUARE:
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\"/>",
			x - r, y - r, 2 * r, 2 * r, col);
		break;
	case M_TRIANGLE:
		fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\"/>", x,
			y - r * 1.2, x + r * 1.1, y + r * 0.8, x - r * 1.1, y + r * 0.8, col);
		break;
	case M_DIAMOND:
		fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\"/>",
			x, y - r * 1.3, x + r, y, x, y + r * 1.3, x - r, y, col);
		break;
	case M_TRIANGLE_DOWN:
		fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\"/>", x,
			y + r * 1.2, x + r * 1.1, y - r * 0.8, x - r * 1.1, y - r * 0.8, col);
		break;
	case M_CROSS:
		fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>", x - r,
			y - r, x + r, y + r, x - r, y + r, x + r, y - r, col);
		break;
	case M_PLUS:
		fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>", x - r,
			y, x + r, y, x, y - r, x, y + r, col);
		break;
	default: /* a star: a plus over a cross */
		fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"%s\" stroke-width=\"2\"/>",
			x - r, y, x + r, y, x - r * 0.7, y - r * 0.7, x + r * 0.7, y + r * 0.7, x - r * 0.7, y + r * 0.7,
			x + r * 0.7, y - r * 0.7, col);
	}
}

/* The line style of series @i: colour, dash, width. */
static void series_stroke(FILE *f, unsigned i)
{
	fprintf(f, "stroke=\"%s\" stroke-width=\"2\" fill=\"none\"", colour[i % NSTYLE]);
	if (dash[(i + i / NSTYLE) % NSTYLE][0])
		fprintf(f, " stroke-dasharray=\"%s\"", dash[(i + i / NSTYLE) % NSTYLE]);
}

/*
 * Hatch patterns: segment k is filled with its colour and a pattern of
 * dark lines at its own angle and spacing, so stacked segments differ in
 * grey too.
 */
static void patterns(FILE *f, const char *prefix, const char *const *cols, unsigned n)
{
	static const struct {
		int angle;
		double gap, width;
	} hatch[] = { { 45, 6, 1.2 }, { 0, 5, 1 }, { -45, 6, 1.2 }, { 90, 5, 1 }, { 30, 4, 0.8 }, { 0, 0, 0 } };
	fprintf(f, "<defs>");
	for (unsigned k = 0; k < n; k++) {
		double g = hatch[k % 6].gap;
		if (!g) { /* plain */
			fprintf(f, "<pattern id=\"%s%u\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\">"
				   "<rect width=\"8\" height=\"8\" fill=\"%s\"/></pattern>",
				prefix, k, cols[k]);
			continue;
		}
		fprintf(f, "<pattern id=\"%s%u\" patternUnits=\"userSpaceOnUse\" width=\"%.0f\" height=\"%.0f\" "
			   "patternTransform=\"rotate(%d)\"><rect width=\"%.0f\" height=\"%.0f\" fill=\"%s\"/>"
			   "<line x1=\"0\" y1=\"0\" x2=\"%.0f\" y2=\"0\" stroke=\"#000\" stroke-opacity=\"0.45\" stroke-width=\"%.1f\"/></pattern>",
			prefix, k, g, g, hatch[k % 6].angle, g, g, cols[k], g, hatch[k % 6].width);
	}
	fprintf(f, "</defs>\n");
}

/* ---- the CDF ---------------------------------------------------------------------------------- */

struct logx {
	double lo, hi; /* decades: 10^lo .. 10^hi microseconds */
	double x0, x1;
};

static double lx(const struct logx *a, double us)
{
	double l = us > 0 ? log10(us) : a->lo;
	if (l < a->lo)
		l = a->lo;
	if (l > a->hi)
		l = a->hi;
	return a->x0 + (l - a->lo) / (a->hi - a->lo) * (a->x1 - a->x0);
}

/* The 1-2-5 value at or below (@up false) or at or above (@up true) @v > 0. */
static double round125(double v, bool up)
{
	double p = pow(10, floor(log10(v))), m = v / p;
	static const double steps[] = { 1, 2, 5, 10 };
	if (up) {
		for (int i = 0; i < 4; i++)
			if (m <= steps[i] * (1 + 1e-9))
				return steps[i] * p;
		return 10 * p;
	}
	for (int i = 3; i >= 0; i--)
		if (m >= steps[i] * (1 - 1e-9))
			return steps[i] * p;
	return p;
}

static void cdf(FILE *f, const struct report *r)
{
	const double W = 960, X0 = 72, X1 = 940, Y0 = 16, Y1 = 400, LY = Y1 + 70;
	double lo = INFINITY, hi = 0, H = LY + 18.0 * r->n + 8;
	struct logx ax;
	char b[64];

	for (unsigned i = 0; i < r->n; i++) {
		const struct sim_hist *h = r->series[i].sum->span[SIM_SPAN_E2E];
		if (!sim_hist_count(h))
			continue;
		double mn = us_of(sim_hist_min(h)), mx = us_of(sim_hist_max(h));
		if (mn > 0 && mn < lo)
			lo = mn;
		if (mx > hi)
			hi = mx;
	}
	if (!(hi > 0)) /* nothing delivered anywhere: an empty frame */
		lo = 1, hi = 1000;
	if (!(lo < INFINITY))
		lo = hi / 10;
	lo = round125(lo, false);
	hi = round125(hi, true);
	if (hi <= lo)
		hi = lo * 10;
	ax.lo = log10(lo);
	ax.hi = log10(hi);
	ax.x0 = X0, ax.x1 = X1;

	fprintf(f, "<svg id=\"plot-cdf\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		   "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"end-to-end latency CDF per variant\">\n",
		W, H, W, H);
	fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\" stroke=\"#999\"/>\n", X0, Y0,
		X1 - X0, Y1 - Y0);
	/* x: a line at every m x 10^k in range, darker at powers of ten; labels at 1, 2, 5 */
	for (double d = floor(ax.lo); d <= ceil(ax.hi); d++)
		for (int m = 1; m <= 9; m++) {
			double v = m * pow(10, d), x;
			if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9))
				continue;
			x = lx(&ax, v);
			fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"%s\"/>", x, Y0, x, Y1,
				m == 1 ? "#bbb" : "#eee");
			if (m == 1 || m == 2 || m == 5 || hi / lo <= 10.001) { /* within a decade: every line */
				fmt_tick(b, sizeof(b), v);
				fprintf(f, "<text class=\"tick\" x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>", x,
					Y1 + 16, b);
			}
		}
	fputc('\n', f);
	/* y: every 10 %, 50 % and 99 % dashed */
	for (int p = 0; p <= 100; p += 10) {
		double y = Y1 - p / 100.0 * (Y1 - Y0);
		fprintf(f, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#eee\"/>"
			   "<text class=\"tick\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%d</text>",
			X0, y, X1, y, X0 - 6, y + 4, p);
	}
	for (int k = 0; k < 2; k++) {
		double p = k ? 0.99 : 0.5, y = Y1 - p * (Y1 - Y0);
		fprintf(f, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#666\" stroke-dasharray=\"3 3\"/>"
			   "<text class=\"tick\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
			X0, y, X1, y, X1 - 4, y + (k ? 14 : -4), k ? "p99" : "p50");
	}
	fprintf(f, "\n<text class=\"axis\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">e2e latency: secure source "
		   "asserted → delivered (µs, log scale)</text>\n",
		(X0 + X1) / 2, Y1 + 38);
	fprintf(f, "<text class=\"axis\" transform=\"translate(18 %.0f) rotate(-90)\" text-anchor=\"middle\">"
		   "notifications delivered within x (%%)</text>\n",
		(Y0 + Y1) / 2);

	/* the curves: a step function, points merged where they fall on the same tenth of a pixel */
	for (unsigned i = 0; i < r->n; i++) {
		const struct sim_hist *h = r->series[i].sum->span[SIM_SPAN_E2E];
		uint64_t total = sim_hist_count(h), cum = 0, v, c;
		double px, py = Y1;
		if (!total)
			continue;
		fprintf(f, "<polyline class=\"series\" ");
		series_stroke(f, i);
		px = round(lx(&ax, us_of(sim_hist_min(h))) * 10) / 10;
		fprintf(f, " points=\"%.1f,%.1f", px, Y1);
		for (size_t k = sim_hist_next(h, 0, &v, &c); k != SIM_HIST_END; k = sim_hist_next(h, k + 1, &v, &c)) {
			/* a bucket's values count from its highest (the exact max in the last one) */
			double x = round(lx(&ax, us_of(v < sim_hist_max(h) ? v : sim_hist_max(h))) * 10) / 10;
			double y0 = Y1 - (double)cum / (double)total * (Y1 - Y0);
			cum += c;
			double y1 = Y1 - (double)cum / (double)total * (Y1 - Y0);
			if (x != px) {
				if (py != y0)
					fprintf(f, " %.1f,%.1f", px, y0);
				fprintf(f, " %.1f,%.1f", x, y0);
			}
			fprintf(f, " %.1f,%.1f", x, y1);
			px = x, py = y1;
		}
		fprintf(f, "\"/>\n");
	}
	/* markers: p50, p99, max on each curve */
	for (unsigned i = 0; i < r->n; i++) {
		const struct sim_hist *h = r->series[i].sum->span[SIM_SPAN_E2E];
		if (!sim_hist_count(h))
			continue;
		const double ps[3] = { 50, 99, 100 };
		for (int k = 0; k < 3; k++) {
			uint64_t v = k < 2 ? sim_hist_report(h, ps[k]) : sim_hist_max(h);
			marker(f, (int)i, lx(&ax, us_of(v)), Y1 - ps[k] / 100 * (Y1 - Y0), colour[i % NSTYLE]);
		}
	}
	fputc('\n', f);
	/* the legend, under the plot: style, name, transport, the three marked values */
	fprintf(f, "<g class=\"legend\"><text class=\"tick\" x=\"%.0f\" y=\"%.0f\">each curve's markers: p50, p99, "
		   "max (µs)</text>",
		X0 + 50, LY - 8);
	for (unsigned i = 0; i < r->n; i++) {
		const struct sim_hist *h = r->series[i].sum->span[SIM_SPAN_E2E];
		double y = LY + 18.0 * i + 6;
		fprintf(f, "<line x1=\"%.0f\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" ", X0, y - 4, X0 + 40, y - 4);
		series_stroke(f, i);
		fprintf(f, "/>");
		marker(f, (int)i, X0 + 20, y - 4, colour[i % NSTYLE]);
		fprintf(f, "<text class=\"legend-label\" x=\"%.0f\" y=\"%.1f\"><tspan font-weight=\"bold\">", X0 + 50, y);
		esc(f, r->series[i].label);
		fprintf(f, "</tspan> (");
		esc(f, r->series[i].transport);
		if (sim_hist_count(h)) {
			char p50[24], p99[24], mx[24];
			fmt_us(p50, sizeof(p50), us_of(sim_hist_report(h, 50)));
			fmt_us(p99, sizeof(p99), us_of(sim_hist_report(h, 99)));
			fmt_us(mx, sizeof(mx), us_of(sim_hist_max(h)));
			fprintf(f, "): p50 %s, p99 %s, max %s</text>", p50, p99, mx);
		} else {
			fprintf(f, "): nothing delivered</text>");
		}
	}
	fprintf(f, "</g>\n</svg>\n");
}

/* ---- stacked bars ----------------------------------------------------------------------------- */

static double label_width(const struct report *r)
{
	size_t w = 4;
	for (unsigned i = 0; i < r->n; i++)
		if (strlen(r->series[i].label) > w)
			w = strlen(r->series[i].label);
	double px = (double)w * 7.5 + 16;
	return px > 300 ? 300 : px;
}

/* A linear x axis from 0 to @max in @unit at the bottom of a plot. */
static void linear_axis(FILE *f, double x0, double x1, double y0, double y1, double max, const char *title)
{
	double step = nice_step(max, 6);
	char b[32];
	for (double v = 0; v <= max * (1 + 1e-9); v += step) {
		double x = x0 + v / max * (x1 - x0);
		fmt_tick(b, sizeof(b), v);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>"
			   "<text class=\"tick\" x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>",
			x, y0, x, y1, x, y1 + 16, b);
	}
	fprintf(f, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#999\"/>", x0, y1, x1, y1);
	fprintf(f, "\n<text class=\"axis\" x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n", (x0 + x1) / 2,
		y1 + 38, title);
}

/* One rect of a stacked bar, with a tooltip. */
static void segment(FILE *f, double x, double y, double w, double h, const char *fill, const char *tip)
{
	if (w <= 0)
		return;
	fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\" "
		   "stroke-width=\"0.5\"><title>",
		x, y, w, h, fill);
	esc(f, tip);
	fprintf(f, "</title></rect>");
}

static void legend_box(FILE *f, double x, double y, const char *pattern_prefix, unsigned k, const char *label)
{
	fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"16\" height=\"12\" fill=\"url(#%s%u)\" stroke=\"#666\" "
		   "stroke-width=\"0.5\"/><text class=\"legend-label\" x=\"%.0f\" y=\"%.0f\">",
		x, y, pattern_prefix, k, x + 22, y + 10);
	esc(f, label);
	fprintf(f, "</text>");
}

static void stage_bars(FILE *f, const struct report *r)
{
	const double W = 960, row = 30, bar = 20, top = 44;
	double X0 = label_width(r), X1 = 930, Y1 = top + row * r->n + 6, H = Y1 + 50, max = 0;
	char tip[160], v[32];

	for (unsigned i = 0; i < r->n; i++) {
		const struct stats_result *s = r->series[i].sum;
		double sum = 0;
		for (int k = 0; k < NSTAGES; k++)
			sum += us_of(sim_hist_report(s->span[stages[k]], 50));
		if (sum > max)
			max = sum;
		if (us_of(sim_hist_report(s->span[SIM_SPAN_E2E], 50)) > max)
			max = us_of(sim_hist_report(s->span[SIM_SPAN_E2E], 50));
	}
	if (!(max > 0))
		max = 1;
	max *= 1.08;
	fprintf(f, "<svg id=\"plot-stages\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		   "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"median of each stage per variant\">\n",
		W, H, W, H);
	patterns(f, "st", stage_colour, NSTAGES);
	/* legend on top: the stages in order, then the e2e marker, four to a row */
	for (int k = 0; k < NSTAGES; k++)
		legend_box(f, 20 + (k % 4) * 235, 4 + (k / 4) * 18, "st", (unsigned)k, stage_label[k]);
	fprintf(f, "<path d=\"M%.0f %.0fL%.0f %.0fL%.0f %.0fL%.0f %.0fZ\" fill=\"#000\"/><text class=\"legend-label\" "
		   "x=\"%.0f\" y=\"%.0f\">e2e median</text>\n",
		20 + 2 * 235 + 8.0, 22.0, 20 + 2 * 235 + 14.0, 28.0, 20 + 2 * 235 + 8.0, 34.0, 20 + 2 * 235 + 2.0, 28.0,
		20 + 2 * 235 + 22.0, 32.0);
	linear_axis(f, X0, X1, top - 4, Y1, max, "median of each stage (µs); stage medians need not add up to the e2e median");
	for (unsigned i = 0; i < r->n; i++) {
		const struct stats_result *s = r->series[i].sum;
		double y = top + row * i, x = X0;
		fprintf(f, "<text class=\"legend-label\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">", X0 - 8, y + bar * 0.7);
		esc(f, r->series[i].label);
		fprintf(f, "</text>");
		for (int k = 0; k < NSTAGES; k++) {
			const struct sim_hist *h = s->span[stages[k]];
			double m = us_of(sim_hist_report(h, 50)), w = m / max * (X1 - X0);
			char fill[16];
			snprintf(fill, sizeof(fill), "url(#st%d)", k);
			fmt_us(v, sizeof(v), m);
			snprintf(tip, sizeof(tip), "%s: %s, median %s us (%" PRIu64 " samples)", r->series[i].label,
				 stage_label[k], v, sim_hist_count(h));
			segment(f, x, y, w, bar, fill, tip);
			x += w;
		}
		const struct sim_hist *e2e = s->span[SIM_SPAN_E2E];
		if (sim_hist_count(e2e)) {
			double m = us_of(sim_hist_report(e2e, 50)), ex = X0 + m / max * (X1 - X0), ey = y + bar / 2;
			fmt_us(v, sizeof(v), m);
			fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"#000\" stroke=\"#fff\"/>"
				   "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" stroke=\"#fff\" stroke-width=\"3\" "
				   "paint-order=\"stroke\">%s</text>",
				ex, ey - 8, ex + 6, ey, ex, ey + 8, ex - 6, ey, ex + 9, ey + 4, v);
		}
		fputc('\n', f);
	}
	fprintf(f, "</svg>\n");
}

static void cpu_bars(FILE *f, const struct report *r)
{
	const double W = 960, row = 16, bar = 12, gap = 14, top = 30;
	double X0 = label_width(r) + 48, X1 = 930, max = 0, y;
	unsigned rows = 0;
	char tip[200], v[32];

	for (unsigned i = 0; i < r->n; i++) {
		const struct stats_result *s = r->series[i].sum;
		unsigned runs = r->series[i].runs ? r->series[i].runs : 1;
		double t = (double)s->sim_end / runs / 1e9;
		if (t > max)
			max = t;
		rows += s->ncpus;
	}
	if (!(max > 0))
		max = 1;
	double Y1 = top + rows * row + r->n * gap, H = Y1 + 50;
	fprintf(f, "<svg id=\"plot-cpu\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
		   "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-label=\"busy time of each CPU by world\">\n",
		W, H, W, H);
	patterns(f, "wd", world_colour, 3);
	for (unsigned k = 0; k < 3; k++)
		legend_box(f, X0 + k * 160, 4, "wd", k, world_label[k]);
	fprintf(f, "<rect x=\"%.0f\" y=\"4\" width=\"16\" height=\"12\" fill=\"#f2f2f2\" stroke=\"#666\" stroke-width=\"0.5\"/>"
		   "<text class=\"legend-label\" x=\"%.0f\" y=\"14\">idle (powered on)</text>\n",
		X0 + 480, X0 + 502);
	linear_axis(f, X0, X1, top - 4, Y1, max,
		    "time per run, boot included (ms, mean over the runs): busy by world, then idle; the rest off");
	y = top;
	for (unsigned i = 0; i < r->n; i++) {
		const struct stats_result *s = r->series[i].sum;
		unsigned runs = r->series[i].runs ? r->series[i].runs : 1;
		fprintf(f, "<text class=\"legend-label\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\" font-weight=\"bold\">",
			X0 - 44, y + bar * 0.8);
		esc(f, r->series[i].label);
		fprintf(f, "</text>");
		for (unsigned c = 0; c < s->ncpus; c++) {
			double x = X0;
			fprintf(f, "<text class=\"tick\" x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">CPU %u</text>", X0 - 6,
				y + bar * 0.85, c);
			for (unsigned w = 0; w < 4; w++) {
				double ms = (double)s->cpu_time[c][w] / runs / 1e9, wd = ms / max * (X1 - X0);
				char fill[16];
				snprintf(fill, sizeof(fill), w < 3 ? "url(#wd%u)" : "#f2f2f2", w);
				snprintf(v, sizeof(v), "%.3f", ms);
				snprintf(tip, sizeof(tip), "%s, CPU %u: %s %s ms per run", r->series[i].label, c,
					 w < 3 ? world_label[w] : "idle", v);
				segment(f, x, y, wd, bar, fill, tip);
				x += wd;
			}
			y += row;
		}
		y += gap;
		fputc('\n', f);
	}
	fprintf(f, "</svg>\n");
}

/* ---- tables ----------------------------------------------------------------------------------- */

static void outcome_table(FILE *f, const struct report *r)
{
	fprintf(f, "<table class=\"num\"><thead><tr><th>variant</th><th>transport</th><th>runs</th>"
		   "<th>notifications</th><th>delivered</th><th>coalesced</th><th>late</th><th>lost</th>"
		   "<th>spurious</th><th>SMCs / notification</th><th>world switches / notification</th></tr></thead><tbody>\n");
	for (unsigned i = 0; i < r->n; i++) {
		const struct report_series *s = &r->series[i];
		const struct stats_result *m = s->sum;
		fprintf(f, "<tr><td>");
		esc(f, s->label);
		fprintf(f, "</td><td>");
		esc(f, s->transport);
		fprintf(f, "</td><td>%u</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td>%" PRIu64 "</td><td%s>%" PRIu64
			   "</td><td%s>%" PRIu64 "</td><td>%" PRIu64 "</td><td>%.2f</td><td>%.2f</td></tr>\n",
			s->runs, m->notifications, m->delivered, m->coalesced, m->late ? " class=\"warn\"" : "", m->late,
			m->lost ? " class=\"bad\"" : "", m->lost, m->spurious, s->smc_per_notif, s->ws_per_notif);
	}
	fprintf(f, "</tbody></table>\n");
}

static void stage_table(FILE *f, const struct report *r)
{
	char v[32];
	fprintf(f, "<table class=\"num\"><thead><tr><th>variant</th>");
	for (int k = 0; k < NSTAGES; k++)
		fprintf(f, "<th>%s</th>", stage_label[k]);
	fprintf(f, "<th>e2e p50</th><th>e2e p99</th><th>e2e max</th></tr></thead><tbody>\n");
	for (unsigned i = 0; i < r->n; i++) {
		const struct stats_result *s = r->series[i].sum;
		fprintf(f, "<tr><td>");
		esc(f, r->series[i].label);
		fprintf(f, "</td>");
		for (int k = 0; k < NSTAGES; k++) {
			fmt_us(v, sizeof(v), us_of(sim_hist_report(s->span[stages[k]], 50)));
			fprintf(f, "<td>%s</td>", sim_hist_count(s->span[stages[k]]) ? v : "-");
		}
		const struct sim_hist *e = s->span[SIM_SPAN_E2E];
		for (int k = 0; k < 3; k++) {
			fmt_us(v, sizeof(v), us_of(k == 2 ? sim_hist_max(e) : sim_hist_report(e, k ? 99 : 50)));
			fprintf(f, "<td>%s</td>", sim_hist_count(e) ? v : "-");
		}
		fprintf(f, "</tr>\n");
	}
	fprintf(f, "</tbody></table>\n");
}

/* ---- the page --------------------------------------------------------------------------------- */

static const char style[] =
	"body{font-family:\"DejaVu Sans\",Verdana,sans-serif;margin:20px 28px;color:#111;background:#fff;max-width:1000px}"
	"h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:26px 0 4px;border-bottom:1px solid #ccc}"
	"p{margin:4px 0 8px;font-size:13px;line-height:1.4}.sub{color:#444}"
	"code,pre{font-family:\"DejaVu Sans Mono\",monospace;font-size:12px}"
	"pre{background:#f6f6f6;border:1px solid #ddd;padding:8px;overflow-x:auto;white-space:pre-wrap}"
	"svg{display:block;margin:6px 0}svg text{font-family:\"DejaVu Sans\",Verdana,sans-serif}"
	".tick{font-size:11px;fill:#333}.axis{font-size:12.5px;fill:#111}.legend-label{font-size:12px;fill:#111}"
	"table{border-collapse:collapse;font-size:12.5px;margin:6px 0}th,td{border:1px solid #ccc;padding:3px 7px}"
	"th{background:#f0f0f0;font-weight:600}table.num td{text-align:right}table.num td:first-child,"
	"table.num td:nth-child(2){text-align:left}td.bad{background:#fbd3cc}td.warn{background:#fdf0c4}";

int report_write_html(const struct report *r, FILE *f)
{
	fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
		   "<meta name=\"viewport\" content=\"width=device-width\"><title>tzsim report: ");
	esc(f, r->title);
	fprintf(f, "</title>\n<style>%s</style></head>\n<body>\n<h1>tzsim report: ", style);
	esc(f, r->title);
	fprintf(f, "</h1>\n<p class=\"sub\">");
	esc(f, r->what);
	fprintf(f, " &middot; scenario <code>");
	esc(f, r->scenario_path);
	fprintf(f, "</code>");
	if (r->command) {
		fprintf(f, " &middot; made by <code>");
		esc(f, r->command);
		fprintf(f, "</code>");
	}
	fprintf(f, "</p>\n");

	fprintf(f, "<h2>End-to-end latency</h2>\n<p>From the secure source asserting its interrupt to "
		   "its delivery (DO_BOTTOM_HALF entering the TEE; for a source with its own value, the value reaching "
		   "Linux's optee_notif_send), every notification of every run of a variant. The curve at x is "
		   "the share of notifications delivered within x; markers sit at the median, the 99th percentile and "
		   "the maximum of all the runs pooled (the compare table gives the median of each run's own).</p>\n");
	cdf(f, r);

	fprintf(f, "<h2>Where the time goes</h2>\n<p>The median of each stage on the way, laid end to end "
		   "(the top half's own run, from its start to the send, is not a stage). Each stage's median is "
		   "of its own distribution, so the bar need not reach the e2e median (&#9670;).</p>\n");
	stage_bars(f, r);
	stage_table(f, r);

	fprintf(f, "<h2>Outcomes</h2>\n<p>Counts summed over the runs: <b>delivered</b> (DO_BOTTOM_HALF "
		   "entered the TEE, or the value reached optee_notif_send), <b>coalesced</b> (sent while the same value was pending), <b>late</b> (an "
		   "interrupt on its path waited for a CPU that was down), <b>lost</b> (never delivered, after a "
		   "50 ms drain), <b>spurious</b> (a notification interrupt that found nothing); SMCs and world "
		   "switches on a notification's path per delivered notification, the mean over the runs.</p>\n");
	outcome_table(f, r);

	fprintf(f, "<h2>CPU time by world</h2>\n<p>What each CPU did during a run, boot included: busy in the normal "
		   "world, the secure world or EL3, then idle while powered on; the rest of the bar's length "
		   "is time the CPU was off or suspended.</p>\n");
	cpu_bars(f, r);

	if (r->scenario_text) {
		fprintf(f, "<h2>Scenario</h2>\n<p><code>");
		esc(f, r->scenario_path);
		fprintf(f, "</code></p>\n<pre>");
		esc(f, r->scenario_text);
		fprintf(f, "</pre>\n");
	}
	fprintf(f, "<p class=\"sub\">Made by tzsim. Every cost is the model's (README: Cost model); read the "
		   "figures as relative.</p>\n</body></html>\n");
	return ferror(f) ? -1 : 0;
}
