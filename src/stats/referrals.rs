//! The referral spread (`GET /api/v1/stats/referrals`): per expert, how often it was offered as a
//! match, placed first, asked, connected, declined or let a request expire, and how often a victim
//! said it offered paid services; and `gini`, the fairness of first places among experts that
//! were offered equally often.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::facts::{ExpertName, PeriodFacts};
use super::math::{gini, round};
use crate::domain::RequestStatus;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Referrals {
    pub experts: Vec<ExpertFigures>,
    pub gini: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct ExpertFigures {
    pub expert_id: String,
    pub company_name: String,
    pub offered: u64,
    pub first_placed: u64,
    pub requested: u64,
    pub connected: u64,
    pub declined: u64,
    pub expired: u64,
    pub offered_paid_services: u64,
}

/// Figures for every expert in `experts` (the approved ones and any other with figures in the
/// period), most offered first, then by company name.
pub fn referrals(facts: &PeriodFacts, experts: &[ExpertName]) -> Referrals {
    let mut rows: HashMap<&str, ExpertFigures> = experts
        .iter()
        .map(|e| {
            let figures = ExpertFigures {
                expert_id: e.id.clone(),
                company_name: e.company_name.clone(),
                ..Default::default()
            };
            (e.id.as_str(), figures)
        })
        .collect();
    for m in &facts.matches {
        if let Some(row) = rows.get_mut(m.expert_id.as_str()) {
            row.offered += 1;
            row.first_placed += u64::from(m.rank == 1);
        }
    }
    for r in &facts.requests {
        if let Some(row) = rows.get_mut(r.expert_id.as_str()) {
            row.requested += 1;
            match r.status {
                s if s.connected() => row.connected += 1,
                RequestStatus::Declined => row.declined += 1,
                RequestStatus::Expired => row.expired += 1,
                _ => {}
            }
        }
    }
    let connected_to: HashMap<&str, &str> = facts
        .intakes
        .iter()
        .filter_map(|i| Some((i.id.as_str(), i.connected_expert_id.as_deref()?)))
        .collect();
    for f in facts
        .feedback
        .iter()
        .filter(|f| f.offered_paid_services == Some(true))
    {
        if let Some(row) = connected_to
            .get(f.intake_id.as_str())
            .and_then(|e| rows.get_mut(e))
        {
            row.offered_paid_services += 1;
        }
    }
    let mut experts: Vec<ExpertFigures> = rows.into_values().collect();
    experts.sort_by(|a, b| {
        (b.offered, &a.company_name, &a.expert_id).cmp(&(a.offered, &b.company_name, &b.expert_id))
    });
    let gini = fairness(&experts);
    Referrals { experts, gini }
}

/// The Gini coefficient of first places within each group of two or more experts offered
/// equally often (never-offered experts are not in the running and form no group), averaged
/// over the groups weighted by their size; `None` when there is no such group.
pub fn fairness(experts: &[ExpertFigures]) -> Option<f64> {
    let mut groups: BTreeMap<u64, Vec<f64>> = BTreeMap::new();
    for e in experts.iter().filter(|e| e.offered > 0) {
        groups
            .entry(e.offered)
            .or_default()
            .push(e.first_placed as f64);
    }
    let (weighted, size) = groups
        .values()
        .filter(|g| g.len() >= 2)
        .filter_map(|g| Some((gini(g)? * g.len() as f64, g.len())))
        .fold((0.0, 0usize), |(w, n), (g, len)| (w + g, n + len));
    (size > 0).then(|| round(weighted / size as f64, 4))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expert(id: &str, offered: u64, first_placed: u64) -> ExpertFigures {
        ExpertFigures {
            expert_id: id.into(),
            company_name: id.into(),
            offered,
            first_placed,
            ..Default::default()
        }
    }

    #[test]
    fn gini_is_the_size_weighted_mean_over_equally_offered_groups() {
        // Group offered=4: first places [0, 0, 3] → Gini 2/3 (Σ|xi−xj| = 12, 2·n²·x̄ = 18).
        // Group offered=3: first places [1, 3] → Gini 4/16 = 0.25.
        // Group offered=5: one expert only → no group. Offered 0: not in the running.
        // Weighted: (3 · 2/3 + 2 · 0.25) / 5 = (2 + 0.5) / 5 = 0.5.
        let experts = [
            expert("a", 4, 0),
            expert("b", 4, 0),
            expert("c", 4, 3),
            expert("d", 3, 1),
            expert("e", 3, 3),
            expert("f", 5, 5),
            expert("g", 0, 0),
            expert("h", 0, 0),
        ];
        assert_eq!(fairness(&experts), Some(0.5));
    }

    #[test]
    fn no_group_of_two_means_no_figure() {
        assert_eq!(fairness(&[expert("a", 3, 1), expert("b", 2, 2)]), None);
        assert_eq!(fairness(&[]), None);
        assert_eq!(fairness(&[expert("a", 2, 1), expert("b", 2, 1)]), Some(0.0));
    }
}
