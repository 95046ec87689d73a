//! The arithmetic of the figures: nearest-rank percentiles, rates, means and the Gini
//! coefficient. Pure functions, rounded where they are shown.

/// The nearest-rank percentile `p` (0 < p ≤ 1) of `values`: the smallest value with at least
/// `p` of all values at or below it (`sorted[ceil(p·n) − 1]`); `None` for no values.
pub fn nearest_rank(values: &[f64], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (p * sorted.len() as f64).ceil().max(1.0) as usize;
    Some(sorted[rank.min(sorted.len()) - 1])
}

/// `part / whole`, rounded to four decimals; `None` when `whole` is 0.
pub fn rate(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| round(part as f64 / whole as f64, 4))
}

/// The mean, rounded to four decimals; `None` for no values.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| round(values.iter().sum::<f64>() / values.len() as f64, 4))
}

pub fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// The Gini coefficient of `values`: the mean absolute difference over all ordered pairs divided
/// by twice the mean, `Σᵢ Σⱼ |xᵢ − xⱼ| / (2 n² x̄)`. 0 is perfect equality (all equal, or all
/// zero); `(n − 1) / n` is one value holding everything. `None` for no values.
pub fn gini(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let n = values.len() as f64;
    let total: f64 = values.iter().sum();
    if total == 0.0 {
        return Some(0.0);
    }
    let spread: f64 = values
        .iter()
        .flat_map(|a| values.iter().map(move |b| (a - b).abs()))
        .sum();
    Some(spread / (2.0 * n * total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_takes_a_real_value() {
        let v = [30.0, 10.0, 20.0, 40.0];
        assert_eq!(nearest_rank(&v, 0.5), Some(20.0));
        assert_eq!(nearest_rank(&v, 0.9), Some(40.0));
        assert_eq!(nearest_rank(&[7.0], 0.9), Some(7.0));
        assert_eq!(nearest_rank(&[], 0.5), None);
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(nearest_rank(&ten, 0.5), Some(5.0));
        assert_eq!(nearest_rank(&ten, 0.9), Some(9.0));
    }

    #[test]
    fn rates_and_means() {
        assert_eq!(rate(2, 3), Some(0.6667));
        assert_eq!(rate(0, 0), None);
        assert_eq!(mean(&[4.0, 5.0, 5.0]), Some(4.6667));
        assert_eq!(mean(&[]), None);
    }

    #[test]
    fn gini_on_hand_computed_cases() {
        // [0, 0, 3]: pairs with a difference: (0,3) ×2, (0,3) ×2 → Σ|xi−xj| = 12;
        // 2·n²·x̄ = 2·9·1 = 18 → 12/18 = 2/3 = (n−1)/n.
        assert_eq!(gini(&[0.0, 0.0, 3.0]), Some(2.0 / 3.0));
        // [1, 3]: Σ|xi−xj| = 2 + 2 = 4; 2·n²·x̄ = 2·4·2 = 16 → 0.25.
        assert_eq!(gini(&[1.0, 3.0]), Some(0.25));
        assert_eq!(gini(&[2.0, 2.0, 2.0]), Some(0.0));
        assert_eq!(gini(&[0.0, 0.0]), Some(0.0));
        assert_eq!(gini(&[]), None);
    }
}
