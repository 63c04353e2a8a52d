//! The `genauth-codegen` command line: flags map onto [`genauth_codegen::Builder`].
//!
//! Exit codes: 0 success, 1 `check` found stale output or `diff --fail-on` matched,
//! 2 bad input or I/O error.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use genauth_codegen::diff::{self, BaselineReport, Report, Severity};
use genauth_codegen::{Builder, Error, Generated, Layout};

#[derive(Parser)]
#[command(name = "genauth-codegen", version, about = "Generate a typed Rust SDK from an OpenAPI description")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the SDK (a crate, or one file with `--layout single-file`) to the output directory.
    Generate(GenerateArgs),
    /// Exit 1 if the output directory does not hold what `generate` would write.
    Check(Common),
    /// Report what changed in the generated Rust API between two specs, and the semver
    /// bump it implies.
    Diff(DiffArgs),
}

#[derive(Args)]
struct GenerateArgs {
    #[command(flatten)]
    common: Common,
    /// Also print (to stdout) a change report against the spec the output was last
    /// generated from: the spec as committed in the last git commit that changed the
    /// output directory (or HEAD).
    #[arg(long, value_name = "FORMAT", num_args = 0..=1, default_missing_value = "text")]
    report: Option<Format>,
}

#[derive(Args)]
struct DiffArgs {
    /// The spec before the change: a file, or REV:PATH read from git (e.g.
    /// `HEAD~1:specs/genauth-v3.yaml`; PATH from the repository root, or `./PATH`).
    #[arg(long)]
    old: String,
    /// The spec after the change: a file or REV:PATH.
    #[arg(long)]
    new: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Exit 1 when a change is at least this severe.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<FailOn>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    Breaking,
    Minor,
    Patch,
}

fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Text => report.to_text(),
        Format::Json => report.to_json(),
    }
}

#[derive(Args)]
struct Common {
    /// The OpenAPI document (YAML or JSON) [default: specs/genauth-v3.yaml]
    #[arg(long)]
    spec: Option<PathBuf>,
    /// The crate directory to write or check [default: generated]; with
    /// `--layout single-file`, the directory that holds `genauth_sdk.rs` (required)
    #[arg(long, required_if_eq("layout", "single-file"))]
    out: Option<PathBuf>,
    /// `crate`: Cargo.toml + src/; `single-file`: one `genauth_sdk.rs` to `include!`,
    /// the same bytes a build script writes with `Builder::write_to_out_dir`.
    #[arg(long, value_enum, default_value = "crate")]
    layout: LayoutArg,
    /// Keep only operations with this tag (repeatable); only the types they use are kept.
    #[arg(long = "tag", value_name = "TAG")]
    tags: Vec<String>,
    /// Keep this operation, by operationId or method name (repeatable; adds to --tag).
    #[arg(long = "operation", value_name = "NAME")]
    operations: Vec<String>,
    /// Leave out operations with this tag (repeatable).
    #[arg(long = "exclude-tag", value_name = "TAG")]
    exclude_tags: Vec<String>,
    /// Leave out this operation, by operationId or method name (repeatable).
    #[arg(long = "exclude-operation", value_name = "NAME")]
    exclude_operations: Vec<String>,
    /// Name of the generated client struct.
    #[arg(long, default_value = "ManagementClient")]
    client_name: String,
    /// Package name in the generated Cargo.toml.
    #[arg(long, default_value = "genauth-sdk")]
    crate_name: String,
    /// Extra derive for every generated type (repeatable), e.g. `--derive Hash`.
    #[arg(long = "derive")]
    derives: Vec<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Read responses exactly as the spec says: no forgiveness for a missing or `null`
    /// required field or a number sent as a string.
    #[arg(long)]
    strict_responses: bool,
    /// Do not put each tag's operations (and the types only they use) behind a cargo
    /// feature named after the tag (the default in the crate layout).
    #[arg(long)]
    no_tag_features: bool,
    /// The cargo feature name for a tag, as TAG=FEATURE (repeatable); by default the tag
    /// in snake_case ASCII.
    #[arg(long = "tag-feature", value_name = "TAG=FEATURE", value_parser = parse_tag_feature)]
    tag_features: Vec<(String, String)>,
    /// Print nothing but errors.
    #[arg(long, short)]
    quiet: bool,
}

fn parse_tag_feature(s: &str) -> Result<(String, String), String> {
    match s.rsplit_once('=') {
        Some((tag, feature)) if !tag.is_empty() && !feature.is_empty() => Ok((tag.to_owned(), feature.to_owned())),
        _ => Err(format!("expected TAG=FEATURE, found `{s}`")),
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum LayoutArg {
    Crate,
    SingleFile,
}

/// Defaults are relative to the current directory; when run elsewhere (e.g. from a
/// subdirectory), fall back to this repository's root.
fn default_path(rel: &str) -> PathBuf {
    let here = PathBuf::from(rel);
    if here.exists() || Path::new("specs").exists() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(rel)
}

impl Common {
    fn spec(&self) -> PathBuf {
        self.spec.clone().unwrap_or_else(|| default_path("specs/genauth-v3.yaml"))
    }

    fn builder(&self) -> Builder {
        let mut b = Builder::new()
            .spec(self.spec())
            .client_name(&self.client_name)
            .crate_name(&self.crate_name)
            .deny_warnings(self.deny_warnings)
            .strict_responses(self.strict_responses)
            .layout(match self.layout {
                LayoutArg::Crate => Layout::Crate,
                LayoutArg::SingleFile => Layout::SingleFile,
            });
        for d in &self.derives {
            b = b.extra_derive(d);
        }
        if self.no_tag_features {
            b = b.tag_features(false);
        }
        for (tag, feature) in &self.tag_features {
            b = b.tag_feature(tag, feature);
        }
        for t in &self.tags {
            b = b.include_tag(t);
        }
        for o in &self.operations {
            b = b.include_operation(o);
        }
        for t in &self.exclude_tags {
            b = b.exclude_tag(t);
        }
        for o in &self.exclude_operations {
            b = b.exclude_operation(o);
        }
        b
    }

    fn out(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| default_path("generated"))
    }

    fn generate(&self) -> Result<Generated, Error> {
        let generated = self.builder().generate()?;
        if !self.quiet {
            for w in generated.warnings() {
                eprintln!("{w}");
            }
        }
        Ok(generated)
    }
}

fn run(cli: Cli) -> Result<ExitCode, Error> {
    match cli.command {
        Command::Generate(GenerateArgs { common: c, report }) => {
            let generated = c.generate()?;
            let out = c.out();
            if let Some(format) = report {
                match diff::baseline_report(&c.builder(), &c.spec(), &out)? {
                    BaselineReport::Report(report) => print!("{}", render(&report, format)),
                    BaselineReport::Skipped(why) => eprintln!("no change report: {why}"),
                }
            }
            let report = match generated.layout() {
                Layout::Crate => generated.write_crate(&out)?,
                Layout::SingleFile => generated.write_to(&out)?,
            };
            if !c.quiet {
                eprintln!(
                    "generated {} operations and {} types into {}: {} file(s) written, {} unchanged, {} removed",
                    generated.operation_count(),
                    generated.type_count(),
                    out.display(),
                    report.written.len(),
                    report.unchanged.len(),
                    report.removed.len()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(c) => {
            let generated = c.generate()?;
            let out = c.out();
            let report = match generated.layout() {
                Layout::Crate => generated.check_crate(&out)?,
                Layout::SingleFile => generated.check_to(&out)?,
            };
            if report.is_up_to_date() {
                if !c.quiet {
                    eprintln!("{} is up to date", out.display());
                }
                return Ok(ExitCode::SUCCESS);
            }
            eprintln!("{} is stale; run `genauth-codegen generate` to update it:", out.display());
            eprint!("{}", report.stale_lines());
            Ok(ExitCode::from(1))
        }
        Command::Diff(args) => run_diff(&args),
    }
}

fn run_diff(args: &DiffArgs) -> Result<ExitCode, Error> {
    let report = diff::compare_specs(&args.old, &args.new)?;
    print!("{}", render(&report, args.format));
    let threshold = args.fail_on.map(|f| match f {
        FailOn::Breaking => Severity::Breaking,
        FailOn::Minor => Severity::Minor,
        FailOn::Patch => Severity::Patch,
    });
    if threshold.is_some_and(|limit| report.reaches(limit)) {
        Ok(ExitCode::from(1))
    } else {
        Ok(ExitCode::SUCCESS)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
