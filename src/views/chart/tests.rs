use std::collections::BTreeSet;

use super::*;

fn months() -> Vec<String> {
    ["Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026"]
        .map(String::from)
        .to_vec()
}

fn chart(kind: Kind, series: Vec<Series>) -> Chart {
    Chart {
        id: "waits".into(),
        kind,
        title: "Waits for screening fell in the spring".into(),
        subtitle: "Median minutes from alert to screening, Wembley, January to April 2026".into(),
        category_heading: "Month".into(),
        categories: months(),
        series,
        unit: "minutes".into(),
        decimals: 0,
    }
}

fn series(name: &str, values: &[Option<f64>]) -> Series {
    Series {
        name: name.into(),
        values: values.iter().map(|v| v.map_or(Shown::Hidden, Shown::Value)).collect(),
    }
}

fn one() -> Vec<Series> {
    vec![series("Median wait", &[Some(1_250.0), Some(48.0), None, Some(35.0)])]
}

fn two() -> Vec<Series> {
    vec![
        series("Adults", &[Some(40.0), Some(38.0), Some(30.0), None]),
        series("Youths", &[Some(55.0), None, Some(41.0), Some(39.0)]),
    ]
}

/// The texts of every element `tag` in `markup`, in order.
fn texts(markup: &str, tag: &str) -> Vec<String> {
    markup
        .split(&format!("<{tag}"))
        .skip(1)
        .filter_map(|rest| rest.split_once('>'))
        .filter_map(|(_, rest)| rest.split_once(&format!("</{tag}>")))
        .map(|(text, _)| text.to_string())
        .collect()
}

/// Every value of attribute `name` in `markup`.
fn attributes(markup: &str, name: &str) -> Vec<String> {
    markup
        .split(&format!(" {name}=\""))
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(String::from)
        .collect()
}

#[test]
fn the_picture_the_table_and_the_csv_show_the_same_figures() {
    let c = chart(Kind::Bar, one());
    let table = c.table().into_string();
    let cells = texts(&table, "td");
    assert_eq!(cells, ["1,250", "48", "[c]", "35"]);
    let svg = svg::draw(&c).into_string();
    let labels = texts(&svg, "text");
    for (month, value) in months().iter().zip(&cells) {
        let at = labels.iter().position(|l| l == month).expect("the month is labelled");
        assert_eq!(&labels[at + 1], value, "{month}");
    }
    assert_eq!(
        c.csv(),
        "\"Month\",\"Median wait\"\r\n\"Jan 2026\",\"1250\"\r\n\"Feb 2026\",\"48\"\r\n\"Mar 2026\",\"[c]\"\r\n\"Apr 2026\",\"35\"\r\n"
    );
    // A hidden figure draws no bar: three bars for four months.
    assert_eq!(svg.matches("<rect").count(), 3);
}

#[test]
fn every_picture_is_an_image_labelled_by_its_title_and_description() {
    for kind in [Kind::Bar, Kind::Column, Kind::Line] {
        for data in [one(), two()] {
            let c = chart(kind, data);
            let svg = svg::draw(&c).into_string();
            assert!(svg.contains("role=\"img\""), "{kind:?}");
            assert!(svg.contains("aria-labelledby=\"waits-title waits-desc\""));
            assert_eq!(texts(&svg, "title"), vec![c.title.as_str()]);
            let desc = texts(&svg, "desc");
            assert_eq!(desc.len(), 1);
            assert!(
                desc[0].starts_with(&c.subtitle) && desc[0].contains("highest"),
                "{desc:?}"
            );
            // Closed explicitly, so the HTML parser nests nothing inside a shape.
            for tag in ["rect", "line", "circle", "polyline", "text"] {
                assert_eq!(
                    svg.matches(&format!("<{tag} ")).count(),
                    svg.matches(&format!("</{tag}>")).count(),
                    "{tag}"
                );
            }
        }
    }
}

#[test]
fn colours_come_from_the_palette_text_is_large_enough_and_nothing_is_rotated() {
    for kind in [Kind::Bar, Kind::Column, Kind::Line] {
        let c = chart(kind, two());
        let svg = svg::draw(&c).into_string();
        let mut colours: BTreeSet<String> = attributes(&svg, "fill").into_iter().collect();
        colours.extend(attributes(&svg, "stroke"));
        colours.retain(|c| c != "none" && c != svg::TEXT && c != svg::GRID);
        // Two series: dark blue and orange.
        assert_eq!(
            colours,
            BTreeSet::from(["#12436D".to_string(), "#F46A25".to_string()]),
            "{kind:?}"
        );
        for size in attributes(&svg, "font-size") {
            assert!(size.parse::<f64>().unwrap() >= 12.0, "{size}");
        }
        assert!(!svg.contains("rotate") && !svg.contains("transform"), "{kind:?}");
        assert!(!svg.contains("style="), "no inline style under the CSP");
    }
    let four: Vec<Series> = (0..6).map(|i| series(&format!("S{i}"), &[Some(1.0); 4])).collect();
    let svg = svg::draw(&chart(Kind::Column, four)).into_string();
    let fills: BTreeSet<String> = attributes(&svg, "fill")
        .into_iter()
        .filter(|c| PALETTE.contains(&c.as_str()))
        .collect();
    assert_eq!(fills.len(), 4, "at most four colours a chart");
}

#[test]
fn several_series_are_named_in_words_not_by_colour_alone() {
    let bar = svg::draw(&chart(Kind::Bar, two())).into_string();
    assert!(texts(&bar, "text").contains(&"Youths: 55".to_string()));
    let line = svg::draw(&chart(Kind::Line, two())).into_string();
    let labels = texts(&line, "text");
    assert!(labels.contains(&"Adults".to_string()) && labels.contains(&"Youths".to_string()));
    let column = svg::draw(&chart(Kind::Column, two())).into_string();
    let labels = texts(&column, "text");
    assert!(labels.contains(&"Adults".to_string()) && labels.contains(&"Youths".to_string()));
}

#[test]
fn a_line_breaks_where_a_figure_is_hidden() {
    let svg = svg::draw(&chart(Kind::Line, two())).into_string();
    // Adults: Jan–Mar joined; Youths: Jan alone, then Mar–Apr joined.
    assert_eq!(svg.matches("<polyline").count(), 2);
    assert_eq!(svg.matches("<circle").count(), 6);
}

#[test]
fn the_figure_explains_hidden_figures_and_offers_the_csv() {
    let c = chart(Kind::Column, one());
    let figure = c.figure(Some("/dashboards/service.csv?chart=waits")).into_string();
    assert!(figure.contains("<h3 class=\"app-heading-s\">Waits for screening fell in the spring</h3>"));
    assert!(figure.contains("[c] marks a figure hidden"));
    assert!(figure.contains("href=\"/dashboards/service.csv?chart=waits\""));
    assert!(figure.contains("<th scope=\"row\">Jan 2026</th>"));
    let shown = chart(Kind::Column, vec![series("Median wait", &[Some(1.0); 4])]);
    assert!(!shown.figure(None).into_string().contains("[c] marks"));
}

#[test]
fn thousands_are_separated() {
    assert_eq!(with_separators(0.0, 0), "0");
    assert_eq!(with_separators(999.0, 0), "999");
    assert_eq!(with_separators(1_000.0, 0), "1,000");
    assert_eq!(with_separators(1_234_567.25, 1), "1,234,567.2");
    assert_eq!(with_separators(-4_500.0, 0), "-4,500");
    assert_eq!(with_separators(-0.01, 0), "0");
}
