//! Bar charts as inline SVG, drawn on the server: no script, no style attributes (colours are
//! SVG presentation attributes, which a strict CSP allows). A [`Chart`] holds labels and values
//! already in the reader's language; [`Chart::drawing`] lays it out for the `chart` partial,
//! which writes the `<svg role="img">` with a `<title>` and `<desc>` as its text alternative;
//! the page shows the same numbers as a table.
//!
//! Horizontal bars read well with long labels (provinces, company names): one row per category,
//! one bar per series (grouped) or one bar split into series (stacked), with the value at the end.

pub use super::drawing::{Bar, Drawing, Text};

/// Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
pub(super) const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000",
];
const WIDTH: f64 = 640.0;
const LABEL_W: f64 = 190.0;
const VALUE_W: f64 = 60.0;
const BAR_H: f64 = 14.0;
const GAP: f64 = 10.0;
const LEGEND_ROW: f64 = 20.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Grouped,
    Stacked,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    /// One value per category; `None` is "no data" (drawn as nothing, shown as –).
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Unique on the page; used for the ids of `<title>` and `<desc>`.
    pub id: String,
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub layout: Layout,
    /// Decimals of the shown values (0 for counts).
    pub decimals: usize,
    /// Appended to shown values (`%`, ` min`), may be empty.
    pub unit: String,
    /// The value a full bar stands for (5 for a score, 100 for a share); else the largest.
    pub scale_max: Option<f64>,
}

impl Chart {
    /// A shown value: `12`, `3.5 min`, or `–` for no data.
    pub fn format(&self, value: Option<f64>) -> String {
        match value {
            Some(v) => format!("{v:.*}{}", self.decimals, self.unit),
            None => "–".to_owned(),
        }
    }

    /// The text alternative: every category with its values, in words a screen reader reads.
    pub fn description(&self) -> String {
        let rows: Vec<String> = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, category)| {
                let values: Vec<String> = self
                    .series
                    .iter()
                    .map(|s| {
                        let shown = self.format(s.values.get(i).copied().flatten());
                        if self.series.len() == 1 {
                            shown
                        } else {
                            format!("{} {shown}", s.name)
                        }
                    })
                    .collect();
                format!("{category}: {}", values.join(", "))
            })
            .collect();
        if rows.is_empty() {
            return format!("{}.", self.title);
        }
        format!("{}. {}.", self.title, rows.join("; "))
    }

    fn max(&self) -> f64 {
        let per_category = |i: usize| -> f64 {
            let values = self
                .series
                .iter()
                .filter_map(|s| s.values.get(i).copied().flatten());
            match self.layout {
                Layout::Grouped => values.fold(0.0, f64::max),
                Layout::Stacked => values.sum(),
            }
        };
        (0..self.categories.len())
            .map(per_category)
            .fold(0.0, f64::max)
    }

    fn row_height(&self) -> f64 {
        match self.layout {
            Layout::Grouped => BAR_H * self.series.len().max(1) as f64 + GAP,
            Layout::Stacked => BAR_H + GAP,
        }
    }

    /// The drawing: sizes, bars and texts, for the `chart` partial to write out as SVG (the
    /// template escapes every text, as for any page).
    pub fn drawing(&self) -> Drawing {
        let legend = if self.series.len() > 1 {
            LEGEND_ROW * self.series.len().div_ceil(3) as f64
        } else {
            0.0
        };
        let height = legend + self.row_height() * self.categories.len().max(1) as f64 + GAP;
        let mut d = Drawing {
            id: self.id.clone(),
            title: self.title.clone(),
            description: self.description(),
            width: WIDTH,
            height,
            bars: Vec::new(),
            texts: Vec::new(),
        };
        self.legend(&mut d);
        let max = self.scale_max.unwrap_or_else(|| self.max());
        let scale = (WIDTH - LABEL_W - VALUE_W) / max.max(1e-9);
        for (i, category) in self.categories.iter().enumerate() {
            let top = legend + self.row_height() * i as f64;
            self.row(&mut d, i, category, top, scale);
        }
        d
    }

    fn legend(&self, d: &mut Drawing) {
        if self.series.len() < 2 {
            return;
        }
        for (n, s) in self.series.iter().enumerate() {
            let x = (n % 3) as f64 * (WIDTH / 3.0);
            let y = (n / 3) as f64 * LEGEND_ROW;
            d.bar(x, y + 3.0, 12.0, 12.0, n);
            d.text(x + 18.0, y + 14.0, "start", 12, s.name.clone());
        }
    }

    fn row(&self, d: &mut Drawing, i: usize, category: &str, top: f64, scale: f64) {
        let middle = top + (self.row_height() - GAP) / 2.0 + 4.0;
        d.text(LABEL_W - 8.0, middle, "end", 12, truncate(category, 28));
        let mut x = LABEL_W;
        for (n, s) in self.series.iter().enumerate() {
            let value = s.values.get(i).copied().flatten();
            let w = value.unwrap_or(0.0).max(0.0) * scale;
            let y = match self.layout {
                Layout::Grouped => top + BAR_H * n as f64,
                Layout::Stacked => top,
            };
            if w > 0.0 {
                d.bar(x, y, w, BAR_H - 2.0, n);
            }
            match self.layout {
                Layout::Grouped => d.text(
                    LABEL_W + w + 4.0,
                    y + BAR_H - 4.0,
                    "start",
                    11,
                    self.format(value),
                ),
                Layout::Stacked => x += w,
            }
        }
        if self.layout == Layout::Stacked {
            let total: f64 = self
                .series
                .iter()
                .filter_map(|s| s.values.get(i).copied().flatten())
                .sum();
            d.text(
                x + 4.0,
                top + BAR_H - 4.0,
                "start",
                11,
                self.format(Some(total)),
            );
        }
    }
}

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_owned()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chart(layout: Layout) -> Chart {
        Chart {
            id: "c".into(),
            title: "Intakes".into(),
            categories: vec!["W09".into(), "W10".into()],
            series: vec![
                Series {
                    name: "a".into(),
                    values: vec![Some(1.0), Some(3.0)],
                },
                Series {
                    name: "b".into(),
                    values: vec![Some(2.0), None],
                },
            ],
            layout,
            decimals: 0,
            unit: String::new(),
            scale_max: None,
        }
    }

    #[test]
    fn the_description_names_every_value_and_no_data() {
        assert_eq!(
            chart(Layout::Grouped).description(),
            "Intakes. W09: a 1, b 2; W10: a 3, b –."
        );
    }

    #[test]
    fn stacked_bars_share_one_row_and_end_in_the_total() {
        let d = chart(Layout::Stacked).drawing();
        // Two legend squares, then W09 as 1 + 2 and W10 as 3: the full width is the total 3.
        assert_eq!(d.bars.len(), 2 + 3);
        let full = WIDTH - LABEL_W - VALUE_W;
        assert_eq!(d.bars[2].width, format!("{:.1}", full / 3.0));
        assert_eq!(d.bars[3].x, format!("{:.1}", LABEL_W + full / 3.0));
        assert_eq!(d.bars[4].width, format!("{full:.1}"));
        let totals: Vec<&str> = d
            .texts
            .iter()
            .filter(|t| t.size == 11)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(totals, ["3", "3"]);
    }

    #[test]
    fn grouped_bars_show_each_value_and_respect_a_fixed_scale() {
        let mut c = chart(Layout::Grouped);
        c.scale_max = Some(6.0);
        let d = c.drawing();
        let full = WIDTH - LABEL_W - VALUE_W;
        assert_eq!(d.bars[2].width, format!("{:.1}", full / 6.0));
        let values: Vec<&str> = d
            .texts
            .iter()
            .filter(|t| t.size == 11)
            .map(|t| t.text.as_str())
            .collect();
        assert_eq!(values, ["1", "2", "3", "–"]);
    }
}
