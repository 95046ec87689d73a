//! The seven charts of the statistics page, each with the table that shows the same numbers:
//! intakes per week by type, per province, outcomes, helped score by type, resilience before and
//! after, minutes to first acceptance, and the referral spread. Words come from the caller (the
//! page's catalogue), so this stays free of HTTP.

use serde::Serialize;

use super::chart::{Chart, Drawing, Layout, Series};
use super::figures::OUTCOMES;
use super::page::PageFigures;
use super::resilience::QUESTIONS;
use crate::domain::Urgency;

/// How many experts the referral chart draws, most offered first (the table lists them all).
pub const CHART_EXPERTS: usize = 25;

/// The reader's words: catalogue messages by key, and incident type names by code.
pub struct Words<'a> {
    pub t: &'a dyn Fn(&str) -> String,
    pub type_name: &'a dyn Fn(&str) -> String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartView {
    pub drawing: Drawing,
    /// No categories to draw: the page says "no data" instead of an empty chart.
    pub empty: bool,
    pub table: Table,
}

#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub label: String,
    pub cells: Vec<String>,
}

fn chart(id: &str, w: &Words, title: &str, categories: Vec<String>, series: Vec<Series>) -> Chart {
    Chart {
        id: id.to_owned(),
        title: (w.t)(title),
        categories,
        series,
        layout: Layout::Grouped,
        decimals: 0,
        unit: String::new(),
        scale_max: None,
    }
}

/// The view of a chart whose table has exactly its numbers, headed `first` and the series.
fn view(chart: Chart, first: String) -> ChartView {
    let mut columns = vec![first];
    columns.extend(chart.series.iter().map(|s| s.name.clone()));
    let rows = chart
        .categories
        .iter()
        .enumerate()
        .map(|(i, label)| Row {
            label: label.clone(),
            cells: chart
                .series
                .iter()
                .map(|s| chart.format(s.values.get(i).copied().flatten()))
                .collect(),
        })
        .collect();
    ChartView {
        empty: chart.categories.is_empty(),
        drawing: chart.drawing(),
        table: Table { columns, rows },
    }
}

fn counts(name: String, values: impl Iterator<Item = u64>) -> Series {
    Series {
        name,
        values: values.map(|v| Some(v as f64)).collect(),
    }
}

pub fn charts(p: &PageFigures, w: &Words) -> Vec<ChartView> {
    vec![
        weeks(p, w),
        provinces(p, w),
        outcomes(p, w),
        helped(p, w),
        resilience(p, w),
        acceptance(p, w),
        referrals(p, w),
    ]
}

fn weeks(p: &PageFigures, w: &Words) -> ChartView {
    let mut types: Vec<&String> = p.weeks_by_type.iter().flat_map(|(_, t)| t.keys()).collect();
    types.sort();
    types.dedup();
    let series = types
        .iter()
        .map(|t| {
            let values = p
                .weeks_by_type
                .iter()
                .map(|(_, c)| c.get(*t).copied().unwrap_or(0));
            counts((w.type_name)(t), values)
        })
        .collect();
    let weeks = p.weeks_by_type.iter().map(|(wk, _)| wk.clone()).collect();
    let mut c = chart("chart-weeks", w, "stats.chart_weeks", weeks, series);
    c.layout = Layout::Stacked;
    let mut v = view(c, (w.t)("stats.col_week"));
    for (row, (_, by_type)) in v.table.rows.iter_mut().zip(&p.weeks_by_type) {
        row.cells.push(by_type.values().sum::<u64>().to_string());
    }
    v.table.columns.push((w.t)("stats.col_total"));
    v
}

fn provinces(p: &PageFigures, w: &Words) -> ChartView {
    let by = &p.stats.by_province;
    let series = vec![counts((w.t)("stats.series_intakes"), by.values().copied())];
    let c = chart(
        "chart-provinces",
        w,
        "stats.chart_provinces",
        by.keys().cloned().collect(),
        series,
    );
    view(c, (w.t)("stats.col_province"))
}

fn outcomes(p: &PageFigures, w: &Words) -> ChartView {
    let by = &p.stats.by_outcome;
    let names = OUTCOMES
        .iter()
        .map(|o| (w.t)(&format!("case.outcome.{o}")))
        .collect();
    let values = OUTCOMES.iter().map(|o| by.get(*o).copied().unwrap_or(0));
    let series = vec![counts((w.t)("stats.series_cases"), values)];
    view(
        chart("chart-outcomes", w, "stats.chart_outcomes", names, series),
        (w.t)("stats.col_outcome"),
    )
}

fn helped(p: &PageFigures, w: &Words) -> ChartView {
    let names = p.helped_by_type.keys().map(|t| (w.type_name)(t)).collect();
    let series = vec![Series {
        name: (w.t)("stats.series_helped"),
        values: p.helped_by_type.values().map(|m| Some(*m)).collect(),
    }];
    let mut c = chart("chart-helped", w, "stats.chart_helped", names, series);
    c.decimals = 1;
    c.scale_max = Some(5.0);
    view(c, (w.t)("stats.col_type"))
}

fn resilience(p: &PageFigures, w: &Words) -> ChartView {
    let r = &p.stats.resilience;
    let share = |phase: &super::resilience::PhaseCounts, q: &str| {
        (phase.responses > 0).then(|| phase.question(q).yes as f64 * 100.0 / phase.responses as f64)
    };
    let series = [
        ("stats.series_baseline", &r.baseline),
        ("stats.series_after", &r.after_90_days),
    ]
    .into_iter()
    .map(|(key, phase)| Series {
        name: format!("{} (n = {})", (w.t)(key), phase.responses),
        values: QUESTIONS.iter().map(|q| share(phase, q)).collect(),
    })
    .collect();
    let names = QUESTIONS
        .iter()
        .map(|q| (w.t)(&format!("stats.q_{q}")))
        .collect();
    let mut c = chart(
        "chart-resilience",
        w,
        "stats.chart_resilience",
        names,
        series,
    );
    c.unit = "%".into();
    c.scale_max = Some(100.0);
    view(c, (w.t)("stats.col_question"))
}

fn acceptance(p: &PageFigures, w: &Words) -> ChartView {
    let by = &p.stats.first_acceptance_minutes;
    let pick = |f: fn(&super::figures::Spread) -> Option<f64>| {
        Urgency::ALL
            .iter()
            .map(|u| by.get(u.as_str()).and_then(f))
            .collect::<Vec<_>>()
    };
    let series = vec![
        Series {
            name: (w.t)("stats.series_median"),
            values: pick(|s| s.median),
        },
        Series {
            name: (w.t)("stats.series_p90"),
            values: pick(|s| s.p90),
        },
    ];
    let names = Urgency::ALL
        .iter()
        .map(|u| (w.t)(&format!("urgency.{}", u.as_str())))
        .collect();
    let mut c = chart(
        "chart-acceptance",
        w,
        "stats.chart_acceptance",
        names,
        series,
    );
    c.unit = (w.t)("stats.unit_minutes");
    view(c, (w.t)("stats.col_urgency"))
}

fn referrals(p: &PageFigures, w: &Words) -> ChartView {
    let shown: Vec<_> = p.referrals.experts.iter().take(CHART_EXPERTS).collect();
    let series = vec![
        counts(
            (w.t)("stats.series_offered"),
            shown.iter().map(|e| e.offered),
        ),
        counts(
            (w.t)("stats.series_first"),
            shown.iter().map(|e| e.first_placed),
        ),
    ];
    let names = shown.iter().map(|e| e.company_name.clone()).collect();
    let mut v = view(
        chart("chart-referrals", w, "stats.chart_referrals", names, series),
        String::new(),
    );
    let keys = [
        "col_expert",
        "series_offered",
        "series_first",
        "col_requested",
        "col_connected",
        "col_declined",
        "col_expired",
        "col_paid",
    ];
    v.table.columns = keys.iter().map(|k| (w.t)(&format!("stats.{k}"))).collect();
    v.table.rows = p
        .referrals
        .experts
        .iter()
        .map(|e| Row {
            label: e.company_name.clone(),
            cells: [
                e.offered,
                e.first_placed,
                e.requested,
                e.connected,
                e.declined,
                e.expired,
                e.offered_paid_services,
            ]
            .iter()
            .map(u64::to_string)
            .collect(),
        })
        .collect();
    v
}
