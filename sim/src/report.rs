//! The report: the self-check, Markdown tables over seeds (mean ± sample standard deviation) and
//! CSV text. Everything here builds strings; writing them anywhere is the caller's business.

use std::fmt::Write;

use super::metrics::{Metrics, Recovery};
use super::{run_scenario, PolicyKind, SimError, SimReport};

/// Mean and spread of one figure over several runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// The mean.
    pub mean: f64,
    /// The sample standard deviation (0 for a single run).
    pub spread: f64,
    /// Runs that had the figure.
    pub count: usize,
}

impl Summary {
    /// The summary of `values`; `None` when there are none.
    pub fn of(values: impl IntoIterator<Item = f64>) -> Option<Summary> {
        let values: Vec<f64> = values.into_iter().collect();
        if values.is_empty() {
            return None;
        }
        let count = values.len();
        let mean = values.iter().sum::<f64>() / count as f64;
        let spread = if count > 1 {
            let squares: f64 = values.iter().map(|value| (value - mean).powi(2)).sum();
            (squares / (count - 1) as f64).sqrt()
        } else {
            0.0
        };
        Some(Summary {
            mean,
            spread,
            count,
        })
    }
}

/// The harness's self-check: naive 4-attempt retries under independent failures with p = 0.5.
#[derive(Clone, Debug, PartialEq)]
pub struct SelfCheck {
    /// Amplification of each seed.
    pub amplifications: Vec<f64>,
    /// `1 + p + p² + p³`.
    pub expected: f64,
    /// Largest allowed distance of every seed from `expected`.
    pub tolerance: f64,
    /// Whether every seed is within the tolerance.
    pub passed: bool,
}

impl SelfCheck {
    /// One line for the top of the report.
    pub fn line(&self) -> String {
        let summary = Summary::of(self.amplifications.iter().copied());
        let (mean, spread) = summary.map_or((f64::NAN, 0.0), |s| (s.mean, s.spread));
        format!(
            "Self-check ({}): naive 4 attempts, independent failures p = 0.5 → amplification {mean:.4} ± {spread:.4} over {} seeds (expected {:.3} ± {}; each seed within).",
            if self.passed { "PASS" } else { "FAIL — do not trust the figures below" },
            self.amplifications.len(),
            self.expected,
            self.tolerance
        )
    }
}

/// Runs the self-check with seeds `1..=seeds` at `scale`.
pub fn self_check(seeds: u64, scale: f64) -> Result<SelfCheck, SimError> {
    let expected = 1.0 + 0.5 + 0.25 + 0.125;
    let tolerance = 0.02;
    let amplifications = (1..=seeds.max(1))
        .map(|seed| {
            run_scenario("selfcheck", PolicyKind::Naive, seed, scale)
                .map(|report| report.all.amplification)
        })
        .collect::<Result<Vec<f64>, SimError>>()?;
    let passed = amplifications
        .iter()
        .all(|value| (value - expected).abs() <= tolerance);
    Ok(SelfCheck {
        amplifications,
        expected,
        tolerance,
        passed,
    })
}

/// How a column's numbers read.
#[derive(Clone, Copy)]
enum Unit {
    Ratio,
    Percent,
    Millis,
    Count,
}

struct Column {
    header: &'static str,
    unit: Unit,
    value: fn(&SimReport) -> Option<f64>,
}

const LOAD: &[Column] = &[
    Column {
        header: "amplification",
        unit: Unit::Ratio,
        value: |r| Some(r.all.amplification),
    },
    Column {
        header: "amp. in fault",
        unit: Unit::Ratio,
        value: |r| r.all.amplification_fault,
    },
    Column {
        header: "amp. after",
        unit: Unit::Ratio,
        value: |r| r.all.amplification_after,
    },
    Column {
        header: "amp. in fault, tabs",
        unit: Unit::Ratio,
        value: |r| r.tabs.amplification_fault,
    },
    Column {
        header: "amp. in fault, service",
        unit: Unit::Ratio,
        value: |r| r.service.amplification_fault,
    },
    Column {
        header: "success",
        unit: Unit::Percent,
        value: |r| Some(r.all.success_rate),
    },
    Column {
        header: "success in fault",
        unit: Unit::Percent,
        value: |r| r.all.success_rate_fault,
    },
    Column {
        header: "success, retry-safe",
        unit: Unit::Percent,
        value: |r| Some(r.all.success_rate_retry_safe),
    },
];

const LATENCY: &[Column] = &[
    Column {
        header: "p50 success",
        unit: Unit::Millis,
        value: |r| r.all.latency_p50_ms.map(|ms| ms as f64),
    },
    Column {
        header: "p99 success",
        unit: Unit::Millis,
        value: |r| r.all.latency_p99_ms.map(|ms| ms as f64),
    },
    Column {
        header: "p50 give-up",
        unit: Unit::Millis,
        value: |r| r.all.give_up_p50_ms.map(|ms| ms as f64),
    },
    Column {
        header: "p99 give-up",
        unit: Unit::Millis,
        value: |r| r.all.give_up_p99_ms.map(|ms| ms as f64),
    },
    Column {
        header: "wasted work",
        unit: Unit::Percent,
        value: |r| Some(r.server.wasted_share),
    },
    Column {
        header: "early retries",
        unit: Unit::Count,
        value: |r| Some(r.compliance.early_retries as f64),
    },
    Column {
        header: "non-retryable retried",
        unit: Unit::Count,
        value: |r| Some(r.compliance.non_retryable_retries as f64),
    },
    Column {
        header: "duplicate POSTs",
        unit: Unit::Count,
        value: |r| Some(r.compliance.duplicate_posts as f64),
    },
    Column {
        header: "locked-quota attempts",
        unit: Unit::Count,
        value: |r| Some(r.compliance.locked_quota_attempts as f64),
    },
];

fn cell(unit: Unit, summary: Option<Summary>) -> String {
    let Some(Summary {
        mean,
        spread,
        count,
    }) = summary
    else {
        return "—".into();
    };
    let (mean, spread, decimals, suffix) = match unit {
        Unit::Ratio => (mean, spread, 2, ""),
        Unit::Percent => (mean * 100.0, spread * 100.0, 2, " %"),
        Unit::Millis => (mean, spread, 0, " ms"),
        Unit::Count => (mean, spread, 1, ""),
    };
    if count > 1 {
        format!("{mean:.decimals$}{suffix} ± {spread:.decimals$}")
    } else {
        format!("{mean:.decimals$}{suffix}")
    }
}

fn recovery_cell(runs: &[SimReport], metrics: fn(&SimReport) -> &Metrics) -> String {
    let mut after_s = Vec::new();
    let mut never = 0;
    for run in runs {
        match metrics(run).recovery {
            Recovery::NoFault => return "—".into(),
            Recovery::AfterMs(ms) => after_s.push(ms as f64 / 1_000.0),
            Recovery::Never => never += 1,
        }
    }
    match Summary::of(after_s) {
        None if never > 0 => "never".into(),
        None => "—".into(),
        Some(summary) if never > 0 => format!(
            "never in {never}/{}; else {:.0} s",
            runs.len(),
            summary.mean
        ),
        Some(summary) if summary.count > 1 => {
            format!("{:.1} s ± {:.1}", summary.mean, summary.spread)
        }
        Some(summary) => format!("{:.1} s", summary.mean),
    }
}

fn table(
    out: &mut String,
    columns: &[Column],
    groups: &[(String, Vec<SimReport>)],
    recovery: bool,
) {
    let mut header = String::from("| |");
    let mut rule = String::from("|---|");
    for column in columns {
        let _ = write!(header, " {} |", column.header);
        rule.push_str("---:|");
    }
    if recovery {
        header.push_str(" recovery | recovery, tabs | recovery, service |");
        rule.push_str("---:|---:|---:|");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    for (label, runs) in groups {
        let mut row = format!("| {label} |");
        for column in columns {
            let summary = Summary::of(runs.iter().filter_map(column.value));
            let _ = write!(row, " {} |", cell(column.unit, summary));
        }
        if recovery {
            let _ = write!(
                row,
                " {} | {} | {} |",
                recovery_cell(runs, |run| &run.all),
                recovery_cell(runs, |run| &run.tabs),
                recovery_cell(runs, |run| &run.service)
            );
        }
        let _ = writeln!(out, "{row}");
    }
}

/// Markdown tables for one scenario, one row per labelled group of runs (a policy, a variant):
/// load and success (with recovery), then, unless `load_only`, latency, wasted work and the
/// compliance counters.
pub fn render_table(title: &str, groups: &[(String, Vec<SimReport>)], load_only: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### {title}\n");
    table(&mut out, LOAD, groups, true);
    if !load_only {
        out.push('\n');
        table(&mut out, LATENCY, groups, false);
    }
    out
}

fn optional<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(String::new, |value| value.to_string())
}

/// One CSV row per run, with a header line.
pub fn runs_csv(runs: &[SimReport]) -> String {
    let mut out = String::from(
        "scenario,policy,seed,requests,attempts,amplification,amplification_fault,amplification_after,\
amplification_fault_tabs,amplification_fault_service,success_rate,success_rate_fault,\
success_rate_retry_safe,recovery_ms,latency_p50_ms,latency_p99_ms,give_up_p50_ms,give_up_p99_ms,\
busy_ms,wasted_ms,wasted_share,rejected,early_retries,non_retryable_retries,duplicate_posts,\
locked_quota_attempts\n",
    );
    for run in runs {
        let recovery = match run.all.recovery {
            Recovery::NoFault => String::new(),
            Recovery::AfterMs(ms) => ms.to_string(),
            Recovery::Never => "never".into(),
        };
        let all = &run.all;
        let _ = writeln!(
            out,
            "{},{},{},{},{},{:.5},{},{},{},{},{:.5},{},{:.5},{recovery},{},{},{},{},{},{},{:.5},{},{},{},{},{}",
            run.scenario,
            run.policy.id(),
            run.seed,
            all.requests,
            all.attempts,
            all.amplification,
            optional(all.amplification_fault.map(|v| format!("{v:.5}"))),
            optional(all.amplification_after.map(|v| format!("{v:.5}"))),
            optional(run.tabs.amplification_fault.map(|v| format!("{v:.5}"))),
            optional(run.service.amplification_fault.map(|v| format!("{v:.5}"))),
            all.success_rate,
            optional(all.success_rate_fault.map(|v| format!("{v:.5}"))),
            all.success_rate_retry_safe,
            optional(all.latency_p50_ms),
            optional(all.latency_p99_ms),
            optional(all.give_up_p50_ms),
            optional(all.give_up_p99_ms),
            run.server.busy_ms,
            run.server.wasted_ms,
            run.server.wasted_share,
            run.server.rejected,
            run.compliance.early_retries,
            run.compliance.non_retryable_retries,
            run.compliance.duplicate_posts,
            run.compliance.locked_quota_attempts,
        );
    }
    out
}

/// The per-second series of each run, with a header line.
pub fn series_csv(runs: &[SimReport]) -> String {
    let mut out = String::from("scenario,policy,seed,second,attempts,successes,failures\n");
    for run in runs {
        for bucket in &run.series {
            let _ = writeln!(
                out,
                "{},{},{},{},{},{},{}",
                run.scenario,
                run.policy.id(),
                run.seed,
                bucket.second,
                bucket.attempts,
                bucket.successes,
                bucket.failures
            );
        }
    }
    out
}

/// The mean of `figure` over `runs` (NaN for none).
fn mean(runs: &[SimReport], figure: impl Fn(&SimReport) -> Option<f64>) -> f64 {
    Summary::of(runs.iter().filter_map(figure)).map_or(f64::NAN, |summary| summary.mean)
}

/// A policy that beat the defaults on success and load at once, with its means.
#[derive(Clone, Debug, PartialEq)]
pub struct Dominating {
    /// The policy's label.
    pub label: String,
    /// Its mean success rate (0–1).
    pub success: f64,
    /// Its mean load amplification.
    pub amplification: f64,
}

/// The groups of one scenario (as [`render_table`] takes them) that beat the defaults on success
/// and on load amplification at once, over the whole run.
pub fn dominating(groups: &[(String, Vec<SimReport>)]) -> Vec<Dominating> {
    let defaults_id = PolicyKind::Defaults.id();
    let Some((_, defaults)) = groups.iter().find(|(label, _)| label == defaults_id) else {
        return Vec::new();
    };
    let success = |runs: &[SimReport]| mean(runs, |run| Some(run.all.success_rate));
    let load = |runs: &[SimReport]| mean(runs, |run| Some(run.all.amplification));
    let (own_success, own_load) = (success(defaults), load(defaults));
    groups
        .iter()
        .filter(|(label, _)| label != defaults_id)
        .map(|(label, runs)| Dominating {
            label: label.clone(),
            success: success(runs),
            amplification: load(runs),
        })
        .filter(|other| other.success > own_success && other.amplification < own_load)
        .collect()
}

/// The dominance table: one row per scenario, the baselines that beat the defaults on both
/// success and load amplification (empty when none does).
pub fn render_dominance(rows: &[(String, Vec<Dominating>)]) -> String {
    let mut out = String::from(
        "## Dominance: baselines that beat the defaults on success and load at once\n\n| scenario | baselines (success, amplification) |\n|---|---|\n",
    );
    for (scenario, beaten_by) in rows {
        let cell = if beaten_by.is_empty() {
            String::from("none")
        } else {
            beaten_by
                .iter()
                .map(|other| {
                    format!(
                        "{} ({:.2} %, {:.2})",
                        other.label,
                        other.success * 100.0,
                        other.amplification
                    )
                })
                .collect::<Vec<_>>()
                .join("; ")
        };
        let _ = writeln!(out, "| `{scenario}` | {cell} |");
    }
    out
}

/// The defaults against the fleet-safety targets (README "Fleet safety"), from the defaults' runs
/// of each scenario: spike recovery, independent tabs' load in an outage, success at 5 %
/// independent failures, and the compliance counters over every scenario.
pub fn render_targets(defaults: &[(&str, Vec<SimReport>)]) -> String {
    let runs = |name: &str| {
        defaults
            .iter()
            .find(|(scenario, _)| *scenario == name)
            .map_or(&[][..], |(_, runs)| runs.as_slice())
    };
    let recovery_s = |run: &SimReport| match run.all.recovery {
        Recovery::AfterMs(ms) => Some(ms as f64 / 1_000.0),
        Recovery::Never | Recovery::NoFault => None,
    };
    let never = runs("spike")
        .iter()
        .filter(|run| run.all.recovery == Recovery::Never)
        .count();
    let compliance: u64 = defaults
        .iter()
        .flat_map(|(_, runs)| runs.iter())
        .map(|run| run.compliance.total())
        .sum();
    format!(
        "## The defaults against the fleet-safety targets (means over seeds)\n\n\
         | figure | defaults | target |\n|---|---:|---:|\n\
         | spike recovery, whole fleet | {:.1} s (never in {never}) | ≤ 10 s |\n\
         | outage: load amplification in the fault, independent tabs | {:.2} | ≤ 1.5 |\n\
         | sweep-5: success | {:.2} % | ≥ 99.6 % |\n\
         | compliance counters, every scenario | {compliance} | 0 |\n",
        mean(runs("spike"), recovery_s),
        mean(runs("outage"), |run| run.tabs.amplification_fault),
        mean(runs("sweep-5"), |run| Some(run.all.success_rate)) * 100.0,
    )
}
