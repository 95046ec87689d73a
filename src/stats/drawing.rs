//! The laid-out chart the `chart` partial writes as SVG: sizes, bars with their colours, and
//! texts with their anchors, as strings ready for attributes (the template escapes them).

use super::chart::PALETTE;

/// What the `chart` partial draws: `role="img"` with `<title>` and `<desc>`, bars and texts.
#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Drawing {
    pub id: String,
    pub title: String,
    pub description: String,
    pub width: f64,
    pub height: f64,
    pub bars: Vec<Bar>,
    pub texts: Vec<Text>,
}

#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Bar {
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
    pub fill: &'static str,
}

#[derive(Debug, Clone, serde::Serialize, PartialEq)]
pub struct Text {
    pub x: String,
    pub y: String,
    /// `start` or `end`.
    pub anchor: &'static str,
    pub size: u8,
    pub text: String,
}

impl Drawing {
    pub(super) fn bar(&mut self, x: f64, y: f64, width: f64, height: f64, series: usize) {
        self.bars.push(Bar {
            x: format!("{x:.1}"),
            y: format!("{y:.1}"),
            width: format!("{width:.1}"),
            height: format!("{height:.1}"),
            fill: PALETTE[series % PALETTE.len()],
        });
    }

    pub(super) fn text(&mut self, x: f64, y: f64, anchor: &'static str, size: u8, text: String) {
        self.texts.push(Text {
            x: format!("{x:.1}"),
            y: format!("{y:.1}"),
            anchor,
            size,
            text,
        });
    }
}
