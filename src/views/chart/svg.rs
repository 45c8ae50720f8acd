//! Drawing a chart as SVG with presentation attributes only (no style, no script, so the
//! strict content security policy holds). Every element is closed explicitly: inside HTML, an
//! SVG tag written without its end tag would swallow the elements after it.

use maud::{Markup, html};

use super::scale::{self, Axis};
use super::{Chart, Kind, Series, Shown, with_separators};

/// Text size in pixels: above the 12 px floor, horizontal always.
const FONT: f64 = 14.0;
/// A rough width of one character at that size, for laying out labels.
const CHAR: f64 = 7.8;
pub(super) const TEXT: &str = "#0B0C0C";
/// Axes and gridlines: light grey, in the background.
pub(super) const GRID: &str = "#B1B4B6";
const WIDTH: f64 = 640.0;
/// Horizontal bars: each bar's height, the gap between a category's bars and between categories
/// (narrower than the bars).
const BAR: f64 = 20.0;
const BAR_GAP: f64 = 2.0;
const GROUP_GAP: f64 = 10.0;
/// Columns and lines: the plot's height, and the share of a category's width given to gaps.
const PLOT_HEIGHT: f64 = 220.0;
const COLUMN_GAP: f64 = 0.15;

fn px(v: f64) -> String {
    format!("{v:.1}")
}

fn text_width(s: &str) -> f64 {
    s.chars().count() as f64 * CHAR
}

fn values(s: &Series) -> impl Iterator<Item = f64> + '_ {
    s.values.iter().filter_map(|v| match v {
        Shown::Value(x) => Some(*x),
        Shown::Hidden => None,
    })
}

fn axis_for(chart: &Chart) -> Axis {
    let max = chart.drawn().iter().flat_map(values).fold(0.0, f64::max);
    scale::axis(max)
}

/// The picture, labelled by its title and description.
pub fn draw(chart: &Chart) -> Markup {
    let (width, height, body) = match chart.kind {
        Kind::Bar => bars(chart),
        Kind::Column | Kind::Line => over_time(chart),
    };
    let (title_id, desc_id) = (format!("{}-title", chart.id), format!("{}-desc", chart.id));
    html! {
        svg.app-chart__svg xmlns="http://www.w3.org/2000/svg" role="img"
            aria-labelledby={ (title_id) " " (desc_id) }
            viewBox={ "0 0 " (px(width)) " " (px(height)) } width=(px(width)) height=(px(height))
            font-family="Arial, Helvetica, sans-serif" font-size=(FONT) fill=(TEXT) {
            title id=(title_id) { (chart.title) }
            desc id=(desc_id) { (chart.description()) }
            (body)
        }
    }
}

/// Horizontal bars: categories down the side, each bar labelled with its value (and its
/// series' name when there are several).
fn bars(chart: &Chart) -> (f64, f64, Markup) {
    let series = chart.drawn();
    let colours = chart.colours();
    let axis = axis_for(chart);
    let named = series.len() > 1;
    let label = |s: &Series, v: Shown| {
        let value = chart.shown(v);
        if named { format!("{}: {value}", s.name) } else { value }
    };
    let label_width = chart.categories.iter().map(|c| text_width(c)).fold(0.0, f64::max) + 12.0;
    let value_width = series
        .iter()
        .flat_map(|s| s.values.iter().map(|v| text_width(&label(s, *v))))
        .fold(0.0, f64::max)
        + 12.0;
    let plot = (WIDTH - label_width - value_width).max(200.0);
    let width = label_width + plot + value_width;
    let group = series.len() as f64 * (BAR + BAR_GAP) - BAR_GAP;
    let height = chart.categories.len() as f64 * (group + GROUP_GAP) + GROUP_GAP;
    let body = html! {
        @for (i, category) in chart.categories.iter().enumerate() {
            @let top = GROUP_GAP + i as f64 * (group + GROUP_GAP);
            text x=(px(label_width - 8.0)) y=(px(top + group / 2.0 + FONT / 3.0)) text-anchor="end" { (category) }
            @for (j, s) in series.iter().enumerate() {
                @let v = s.values.get(i).copied().unwrap_or(Shown::Hidden);
                @let y = top + j as f64 * (BAR + BAR_GAP);
                @let length = match v { Shown::Value(x) => axis.fraction(x) * plot, Shown::Hidden => 0.0 };
                @if length > 0.0 {
                    rect x=(px(label_width)) y=(px(y)) width=(px(length)) height=(px(BAR)) fill=(colours[j]) {}
                }
                text x=(px(label_width + length + 6.0)) y=(px(y + BAR / 2.0 + FONT / 3.0)) { (label(s, v)) }
            }
        }
        line x1=(px(label_width)) x2=(px(label_width)) y1="0" y2=(px(height)) stroke=(GRID) {}
    };
    (width, height, body)
}

/// Columns or lines over the categories (months), with a value axis and a few gridlines.
fn over_time(chart: &Chart) -> (f64, f64, Markup) {
    let series = chart.drawn();
    let colours = chart.colours();
    let axis = axis_for(chart);
    let ticks: Vec<String> = axis
        .ticks()
        .iter()
        .map(|t| with_separators(*t, tick_decimals(&axis)))
        .collect();
    let left = ticks.iter().map(|t| text_width(t)).fold(0.0, f64::max) + 12.0;
    let right = match chart.kind {
        Kind::Line => series.iter().map(|s| text_width(&s.name)).fold(0.0, f64::max) + 16.0,
        _ => 16.0,
    };
    let legend = chart.kind == Kind::Column && series.len() > 1;
    let top = if legend { 2.0 * FONT + 16.0 } else { FONT + 8.0 };
    let plot_width = WIDTH - left - right;
    let n = chart.categories.len().max(1) as f64;
    let slot = plot_width / n;
    let y_of = |v: f64| top + PLOT_HEIGHT * (1.0 - axis.fraction(v));
    let x_of = |i: usize| left + slot * (i as f64 + 0.5);
    let widest = chart.categories.iter().map(|c| text_width(c)).fold(0.0, f64::max) + 8.0;
    let every = (widest / slot).ceil().max(1.0) as usize;
    let bottom = top + PLOT_HEIGHT;
    let height = bottom + FONT + 14.0;
    let body = html! {
        @for (t, label) in axis.ticks().iter().zip(&ticks) {
            line x1=(px(left)) x2=(px(left + plot_width)) y1=(px(y_of(*t))) y2=(px(y_of(*t))) stroke=(GRID) {}
            text x=(px(left - 6.0)) y=(px(y_of(*t) + FONT / 3.0)) text-anchor="end" { (label) }
        }
        @for (i, category) in chart.categories.iter().enumerate() {
            @if i % every == 0 {
                text x=(px(x_of(i))) y=(px(bottom + FONT + 6.0)) text-anchor="middle" { (category) }
            }
        }
        @if legend { (self::legend(series, &colours, left)) }
        @match chart.kind {
            Kind::Line => (lines(chart, &colours, x_of, y_of)),
            _ => (columns(chart, &colours, slot, x_of, y_of)),
        }
    };
    (WIDTH, height, body)
}

/// Tick labels need decimals only when the step is fractional.
fn tick_decimals(axis: &Axis) -> usize {
    if axis.step.fract() == 0.0 { 0 } else { 1 }
}

/// A key of swatches each with its series' name beside it, along the top.
fn legend(series: &[Series], colours: &[&str], left: f64) -> Markup {
    let starts = series.iter().scan(left, |x, s| {
        let start = *x;
        *x += 20.0 + text_width(&s.name) + 16.0;
        Some(start)
    });
    html! {
        @for ((s, colour), x) in series.iter().zip(colours).zip(starts) {
            rect x=(px(x)) y="6" width="14" height="14" fill=(colour) {}
            text x=(px(x + 20.0)) y=(px(6.0 + FONT - 2.0)) { (s.name) }
        }
    }
}

fn columns(
    chart: &Chart,
    colours: &[&str],
    slot: f64,
    x_of: impl Fn(usize) -> f64,
    y_of: impl Fn(f64) -> f64,
) -> Markup {
    let series = chart.drawn();
    let width = slot * (1.0 - COLUMN_GAP) / series.len().max(1) as f64;
    // A single series with room for them gets its values written above the columns.
    let labelled =
        series.len() == 1
            && chart.categories.iter().enumerate().all(|(i, _)| {
                text_width(&chart.shown(series[0].values.get(i).copied().unwrap_or(Shown::Hidden))) < slot
            });
    let base = y_of(0.0);
    html! {
        @for (j, s) in series.iter().enumerate() {
            @for (i, v) in s.values.iter().enumerate() {
                @let x = x_of(i) - slot * (1.0 - COLUMN_GAP) / 2.0 + j as f64 * width;
                @if let Shown::Value(value) = v {
                    rect x=(px(x)) y=(px(y_of(*value))) width=(px(width)) height=(px(base - y_of(*value))) fill=(colours[j]) {}
                }
                @if labelled {
                    @let y = match v { Shown::Value(value) => y_of(*value), Shown::Hidden => base };
                    text x=(px(x + width / 2.0)) y=(px(y - 4.0)) text-anchor="middle" { (chart.shown(*v)) }
                }
            }
        }
        line x1=(px(x_of(0) - slot / 2.0)) x2=(px(x_of(chart.categories.len()) - slot / 2.0)) y1=(px(base)) y2=(px(base)) stroke=(GRID) {}
    }
}

/// Lines, broken where a value is hidden, each named at its last point.
fn lines(chart: &Chart, colours: &[&str], x_of: impl Fn(usize) -> f64, y_of: impl Fn(f64) -> f64) -> Markup {
    let series = chart.drawn();
    let ends = end_labels(series, &y_of);
    html! {
        @for (j, s) in series.iter().enumerate() {
            @for run in runs(s) {
                @let points: Vec<String> = run.iter().map(|(i, v)| format!("{},{}", px(x_of(*i)), px(y_of(*v)))).collect();
                @if run.len() > 1 {
                    polyline points=(points.join(" ")) fill="none" stroke=(colours[j]) stroke-width="3" {}
                }
                @for (i, v) in &run {
                    circle cx=(px(x_of(*i))) cy=(px(y_of(*v))) r="4" fill=(colours[j]) {}
                }
            }
            @if let Some((i, y)) = ends[j] {
                text x=(px(x_of(i) + 10.0)) y=(px(y + FONT / 3.0)) { (s.name) }
            }
        }
    }
}

/// The unbroken stretches of a series: (category index, value).
fn runs(s: &Series) -> Vec<Vec<(usize, f64)>> {
    let mut runs = vec![Vec::new()];
    for (i, v) in s.values.iter().enumerate() {
        match v {
            Shown::Value(x) => runs.last_mut().expect("a run").push((i, *x)),
            Shown::Hidden => runs.push(Vec::new()),
        }
    }
    runs.retain(|r| !r.is_empty());
    runs
}

/// Where each series' name goes: beside its last point, pushed apart so no two overlap.
fn end_labels(series: &[Series], y_of: &impl Fn(f64) -> f64) -> Vec<Option<(usize, f64)>> {
    let mut ends: Vec<Option<(usize, f64)>> = series
        .iter()
        .map(|s| runs(s).last().and_then(|r| r.last()).map(|(i, v)| (*i, y_of(*v))))
        .collect();
    let mut order: Vec<usize> = (0..ends.len()).filter(|j| ends[*j].is_some()).collect();
    order.sort_by(|a, b| {
        ends[*a]
            .map(|e| e.1)
            .unwrap_or_default()
            .total_cmp(&ends[*b].map(|e| e.1).unwrap_or_default())
    });
    let mut last = f64::MIN;
    for j in order {
        if let Some((i, y)) = ends[j] {
            let y = y.max(last + FONT + 2.0);
            ends[j] = Some((i, y));
            last = y;
        }
    }
    ends
}
