// Test, bench and example code may unwrap, panic and index (the package's code may not: Cargo.toml [lints]).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The retry-storm report: every scenario, every policy, several seeds (contract §4, issue 6).
//!
//! ```sh
//! cargo run --release -p http-verdict-sim --example simulate -- [--seeds N] [--csv DIR] [--scenario NAME] [--scale X]
//! ```
//!
//! Prints the self-check first (naive 4-attempt retries under independent failures with p = 0.5
//! must give an amplification of 1.875 ± 0.02, or nothing below is to be trusted), then two
//! Markdown tables per scenario (mean ± sample standard deviation over seeds 1..=N, default 10), then
//! the what-if tables: this crate's engine with one option changed at a time, then hedged GETs
//! (hedging off, at a fixed delay, at the observed p95, without the share cap and budget) in the
//! slow-tail scenarios and the outage. With `--csv DIR`
//! it also writes `DIR/<scenario>.csv` (one row per policy and seed) and `DIR/<scenario>-series.csv`
//! (attempts, successes and failures per second). Exits with status 1 when the self-check fails.

use std::process::ExitCode;

fn main() -> ExitCode {
    report::main()
}

mod report {
    use std::path::PathBuf;
    use std::process::ExitCode;

    use http_verdict_sim::{
        dominating, fleet_variants, hedge_variants, render_dominance, render_table, render_targets,
        run_scenario, run_variant, runs_csv, scenario, self_check, series_csv, variants,
        PolicyKind, Recovery, SimReport, Summary, Variant, FLEET_SCENARIOS, HEDGE_SCENARIOS,
        SCENARIOS, VARIANT_SCENARIOS,
    };

    /// `values`' mean ± spread times `scale`, with `decimals` and a `suffix`; `—` for none.
    fn mean_cell(values: Vec<f64>, scale: f64, decimals: usize, suffix: &str) -> String {
        Summary::of(values).map_or_else(
            || "—".to_owned(),
            |summary| {
                format!(
                    "{:.decimals$}{suffix} ± {:.decimals$}",
                    summary.mean * scale,
                    summary.spread * scale
                )
            },
        )
    }

    /// The hedging table for one scenario: latency of the GETs (the requests hedging touches), of
    /// the tabs and the service apart too (a client needs responses before it has a p95), the load
    /// the server saw per request the clients issued (a hedge is one more request to the server)
    /// over the run, in the fault and after it, of the tabs and the service apart, the hedges sent
    /// and won, success and wasted work.
    fn hedge_table(name: &str, groups: &[(String, Vec<SimReport>)]) -> String {
        let mut out = format!(
            "### `{name}`, hedged GETs\n\n| | p50 GET | p99 GET | p99 GET, tabs / service | p99 all | load (server ÷ client requests) | load in fault / after | load, tabs / service | hedges per request | hedges won | success | wasted work |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        );
        for (label, runs) in groups {
            let values = |figure: &dyn Fn(&SimReport) -> Option<f64>| -> Vec<f64> {
                runs.iter().filter_map(figure).collect()
            };
            let ms = |figure: fn(&SimReport) -> Option<u64>| {
                values(&|run| figure(run).map(|ms| ms as f64))
            };
            let mean = |values: Vec<f64>, decimals: usize| {
                Summary::of(values).map_or_else(
                    || "—".to_owned(),
                    |summary| format!("{:.decimals$}", summary.mean),
                )
            };
            let cells = [
                mean_cell(ms(|run| run.all.get_latency_p50_ms), 1.0, 0, " ms"),
                mean_cell(ms(|run| run.all.get_latency_p99_ms), 1.0, 0, " ms"),
                format!(
                    "{} / {} ms",
                    mean(ms(|run| run.tabs.get_latency_p99_ms), 0),
                    mean(ms(|run| run.service.get_latency_p99_ms), 0)
                ),
                mean_cell(ms(|run| run.all.latency_p99_ms), 1.0, 0, " ms"),
                mean_cell(values(&|run| Some(run.all.amplification)), 1.0, 3, ""),
                format!(
                    "{} / {}",
                    mean(values(&|run| run.all.amplification_fault), 3),
                    mean(values(&|run| run.all.amplification_after), 3)
                ),
                format!(
                    "{} / {}",
                    mean(values(&|run| Some(run.tabs.amplification)), 3),
                    mean(values(&|run| Some(run.service.amplification)), 3)
                ),
                mean_cell(
                    values(&|run| Some(run.hedges as f64 / run.all.requests.max(1) as f64)),
                    100.0,
                    1,
                    " %",
                ),
                mean_cell(
                    values(&|run| {
                        (run.hedges > 0).then(|| run.hedges_won as f64 / run.hedges as f64)
                    }),
                    100.0,
                    0,
                    " %",
                ),
                mean_cell(values(&|run| Some(run.all.success_rate)), 100.0, 2, " %"),
                mean_cell(values(&|run| Some(run.server.wasted_share)), 100.0, 1, " %"),
            ];
            out.push_str(&format!("| {label} | {} |\n", cells.join(" | ")));
        }
        out
    }

    /// The service fleet's table for one scenario: what its instances sent within the fault (in
    /// the quota scenario, into the quota wall), their load and success there, and how long the
    /// service took to recover.
    fn fleet_table(name: &str, groups: &[(String, Vec<SimReport>)]) -> String {
        let mut out = format!(
            "### `{name}`, the service as a fleet\n\n| | service attempts in fault | amp. in fault, service | success in fault, service | recovery, service |\n|---|---:|---:|---:|---:|\n"
        );
        for (label, runs) in groups {
            let cell = |values: Vec<f64>, scale: f64, decimals: usize, suffix: &str| {
                Summary::of(values).map_or_else(
                    || "—".to_owned(),
                    |summary| {
                        format!(
                            "{:.decimals$}{suffix} ± {:.decimals$}",
                            summary.mean * scale,
                            summary.spread * scale
                        )
                    },
                )
            };
            let attempts = cell(
                runs.iter()
                    .map(|run| run.service_attempts_fault as f64)
                    .collect(),
                1.0,
                0,
                "",
            );
            let load = cell(
                runs.iter()
                    .filter_map(|run| run.service.amplification_fault)
                    .collect(),
                1.0,
                3,
                "",
            );
            let success = cell(
                runs.iter()
                    .filter_map(|run| run.service.success_rate_fault)
                    .collect(),
                100.0,
                1,
                " %",
            );
            let recovery = cell(
                runs.iter()
                    .filter_map(|run| match run.service.recovery {
                        Recovery::AfterMs(ms) => Some(ms as f64 / 1_000.0),
                        _ => None,
                    })
                    .collect(),
                1.0,
                1,
                " s",
            );
            out.push_str(&format!(
                "| {label} | {attempts} | {load} | {success} | {recovery} |\n"
            ));
        }
        out
    }

    /// Each of `variants` on the scenarios `names` (those `--scenario` allows), once per seed, printed
    /// by `render`.
    fn print_what_if(
        args: &Args,
        names: &[&str],
        variants: &[Variant],
        render: impl Fn(&str, &[(String, Vec<SimReport>)]) -> String,
    ) {
        for name in names {
            if args.scenario.as_deref().is_some_and(|only| only != *name) {
                continue;
            }
            let Some(scenario) = scenario(name, args.scale) else {
                continue;
            };
            let groups: Vec<(String, Vec<SimReport>)> = variants
                .iter()
                .map(|variant| {
                    let runs = (1..=args.seeds)
                        .map(|seed| run_variant(&scenario, variant, seed))
                        .collect();
                    (variant.label.to_owned(), runs)
                })
                .collect();
            println!("{}", render(name, &groups));
        }
    }

    struct Args {
        seeds: u64,
        csv: Option<PathBuf>,
        scenario: Option<String>,
        scale: f64,
    }

    fn usage(problem: &str) -> String {
        format!("{problem}\nusage: simulate [--seeds N] [--csv DIR] [--scenario NAME] [--scale X]\nscenarios: {}", SCENARIOS.join(", "))
    }

    fn parse() -> Result<Args, String> {
        let mut args = Args {
            seeds: 10,
            csv: None,
            scenario: None,
            scale: 1.0,
        };
        let mut rest = std::env::args().skip(1);
        while let Some(flag) = rest.next() {
            let mut value = || {
                rest.next()
                    .ok_or_else(|| usage(&format!("{flag} needs a value")))
            };
            match flag.as_str() {
                "--seeds" => {
                    args.seeds = value()?
                        .parse()
                        .ok()
                        .filter(|seeds| (1..=1_000).contains(seeds))
                        .ok_or_else(|| usage("--seeds takes an integer from 1 to 1000"))?;
                }
                "--csv" => args.csv = Some(PathBuf::from(value()?)),
                "--scenario" => {
                    let name = value()?;
                    if scenario(&name, 1.0).is_none() {
                        return Err(usage(&format!("unknown scenario `{name}`")));
                    }
                    args.scenario = Some(name);
                }
                "--scale" => {
                    args.scale = value()?
                        .parse()
                        .map_err(|_| usage("--scale takes a number"))?;
                }
                "--help" | "-h" => return Err(usage("")),
                other => return Err(usage(&format!("unknown argument `{other}`"))),
            }
        }
        Ok(args)
    }

    pub fn main() -> ExitCode {
        let args = match parse() {
            Ok(args) => args,
            Err(message) => {
                eprintln!("{message}");
                return ExitCode::from(2);
            }
        };
        let check = match self_check(args.seeds, args.scale) {
            Ok(check) => check,
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::from(2);
            }
        };
        println!("{}\n", check.line());
        if let Some(dir) = &args.csv {
            if let Err(error) = std::fs::create_dir_all(dir) {
                eprintln!("cannot create {}: {error}", dir.display());
                return ExitCode::from(2);
            }
        }
        let names: Vec<&str> = match &args.scenario {
            Some(name) => vec![name.as_str()],
            None => SCENARIOS.to_vec(),
        };
        println!(
            "{} seeds per cell (1..={}), scale {}; mean ± sample standard deviation.\n",
            args.seeds, args.seeds, args.scale
        );
        let mut dominance = Vec::new();
        let mut defaults_runs = Vec::new();
        for name in names {
            let mut groups: Vec<(String, Vec<SimReport>)> = Vec::new();
            for &policy in PolicyKind::ALL {
                let mut runs = Vec::new();
                for seed in 1..=args.seeds {
                    match run_scenario(name, policy, seed, args.scale) {
                        Ok(report) => runs.push(report),
                        Err(error) => {
                            eprintln!("{error}");
                            return ExitCode::from(2);
                        }
                    }
                }
                groups.push((policy.id().to_owned(), runs));
            }
            let summary = scenario(name, args.scale).map_or("", |scenario| scenario.summary);
            println!(
                "{}",
                render_table(&format!("`{name}`: {summary}"), &groups, false)
            );
            dominance.push((name.to_owned(), dominating(&groups)));
            if let Some((_, runs)) = groups
                .iter()
                .find(|(label, _)| label == PolicyKind::Defaults.id())
            {
                defaults_runs.push((name, runs.clone()));
            }
            if let Some(dir) = &args.csv {
                let all: Vec<SimReport> = groups.into_iter().flat_map(|(_, runs)| runs).collect();
                let files = [
                    (dir.join(format!("{name}.csv")), runs_csv(&all)),
                    (dir.join(format!("{name}-series.csv")), series_csv(&all)),
                ];
                for (path, text) in files {
                    if let Err(error) = std::fs::write(&path, text) {
                        eprintln!("cannot write {}: {error}", path.display());
                        return ExitCode::from(2);
                    }
                }
            }
        }
        println!("{}", render_targets(&defaults_runs));
        println!("{}", render_dominance(&dominance));
        println!("## What-if: the engine with one option changed\n");
        print_what_if(&args, VARIANT_SCENARIOS, &variants(), |name, groups| {
            render_table(&format!("`{name}`, variants"), groups, true)
        });
        println!("## What-if: the service as a fleet sharing through a store\n");
        print_what_if(&args, FLEET_SCENARIOS, &fleet_variants(), fleet_table);
        println!("## What-if: hedged GETs (issue 13 item 4)\n");
        print_what_if(&args, HEDGE_SCENARIOS, &hedge_variants(), hedge_table);
        if check.passed {
            ExitCode::SUCCESS
        } else {
            eprintln!("{}", check.line());
            ExitCode::FAILURE
        }
    }
}
