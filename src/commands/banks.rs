//! `rehearse banks`: list the banks, import a question list as a bank file, check bank
//! files. The work is done by `bank::{import, check, write}`; this file finds the folders,
//! reads and writes the files and prints.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::bank::{self, Bank, DEFAULT_BANK, EMBEDDED, Location, check, import, read, write};
use crate::cli::{BanksArgs, BanksCommand, CheckArgs, ImportArgs};
use crate::color::bold;
use crate::exit::{self, UsageError};
use crate::paths::Paths;
use crate::plan::{Pick, PlanOptions, Selection, TimeOptions, make_plan};
use crate::present::{Under, plan_table};
use crate::text::sanitize;

pub fn run(args: BanksArgs, config: &crate::config::ConfigFile) -> anyhow::Result<u8> {
    let paths = Paths::from_env();
    match args.command {
        None | Some(BanksCommand::List) => list(&paths),
        Some(BanksCommand::Import(args)) => import_list(&args, &paths),
        Some(BanksCommand::Check(args)) => check_files(&args, &paths),
        Some(BanksCommand::Show { bank, points }) => show(&bank, points, &paths, config.get()?),
        Some(BanksCommand::Edit { bank }) => edit(&bank, &paths),
    }
}

/// The plan table for every question of a bank, with the config file's defaults, and with
/// `--points` each question's talking points under it.
fn show(
    spec: &str,
    points: bool,
    paths: &Paths,
    config: &crate::config::Config,
) -> anyhow::Result<u8> {
    let settings = crate::settings::RunSettings::resolve(None, config, paths);
    let bank = bank::find(spec, paths.banks.as_deref())?;
    let times = TimeOptions {
        config: settings.config_times,
        scale: settings.time_scale.value,
        ..TimeOptions::default()
    };
    let options = PlanOptions {
        selection: Selection::All,
        seed: 0,
        times,
        pick: Pick::default(),
    };
    let plan = make_plan(&bank, &options);
    let mut out = std::io::stdout().lock();
    write!(
        out,
        "{}",
        plan_table(
            &bank.name,
            &plan,
            settings.time_scale.value,
            Under {
                text: true,
                points,
                ..Under::default()
            }
        )
    )?;
    write!(out, "from {}", bank.source.describe())?;
    if let Some(reviewed) = &bank.reviewed {
        write!(out, ", reviewed {}", sanitize(reviewed))?;
    }
    writeln!(out)?;
    Ok(exit::SUCCESS)
}

/// Opens a bank in the person's editor and checks it afterwards. A built-in bank is
/// copied to the banks folder first, so the copy (which then replaces it) is what changes.
fn edit(spec: &str, paths: &Paths) -> anyhow::Result<u8> {
    let path = match bank::locate(spec, paths.banks.as_deref())? {
        Location::File(path) => path,
        Location::Embedded(e) => {
            let dir = paths
                .banks
                .as_deref()
                .context("no folder for your banks: set REHEARSE_DATA_DIR")?;
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
            let path = dir.join(e.file_name);
            std::fs::write(&path, e.text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("copied the built-in {} bank to {}", e.key, path.display());
            path
        }
    };
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".to_string());
    let mut words = editor.split_whitespace();
    let program = words.next().unwrap_or("vi");
    loop {
        let status = std::process::Command::new(program)
            .args(words.clone())
            .arg(&path)
            .status()
            .with_context(|| format!("cannot start the editor {editor:?}; set VISUAL or EDITOR"))?;
        if !status.success() {
            return Err(UsageError(format!(
                "the editor {editor:?} failed ({status}); {} is as it left it",
                path.display()
            ))
            .into());
        }
        let problems: Vec<String> = check_file(&path)
            .into_iter()
            .filter_map(Result::err)
            .collect();
        if problems.is_empty() {
            println!("{}: ok", path.display());
            return Ok(exit::SUCCESS);
        }
        for problem in &problems {
            eprintln!("{}", sanitize(problem));
        }
        if !ask("Edit again to fix it? [Y/n] ") {
            return Err(UsageError(format!(
                "{} has problems (kept as it is: fix it with 'rehearse banks edit {spec}')",
                path.display()
            ))
            .into());
        }
    }
}

/// A yes/no question on the terminal; no terminal means no.
fn ask(question: &str) -> bool {
    use std::io::IsTerminal;
    if !std::io::stdin().is_terminal() {
        return false;
    }
    eprint!("{question}");
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    !answer.trim().to_ascii_lowercase().starts_with('n')
}

/// Width the category lines are wrapped to.
const WIDTH: usize = 88;

fn list(paths: &Paths) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    let user_files = match paths.banks.as_deref() {
        Some(dir) => user_bank_files(dir).map_err(|error| {
            anyhow::anyhow!(
                "{}: cannot read your banks folder ({error})",
                sanitize(&dir.display().to_string())
            )
        })?,
        None => Vec::new(),
    };
    let user_keys: Vec<String> = user_files.iter().map(|p| file_stem(p)).collect();

    let mut rows: Vec<(String, Result<Bank, String>, String)> = Vec::new();
    for e in EMBEDDED {
        let mut note = String::new();
        if e.key == DEFAULT_BANK {
            note.push_str(" (default)");
        }
        if user_keys.iter().any(|k| k == e.key) {
            note.push_str(", replaced by yours");
        }
        rows.push((
            e.key.to_string(),
            bank::load_embedded(e).map_err(|err| err.to_string()),
            note,
        ));
    }
    let built_in = rows.len();
    for path in &user_files {
        let key = file_stem(path);
        let note = if EMBEDDED.iter().any(|e| e.key == key) {
            ", replaces the built-in one".to_string()
        } else {
            String::new()
        };
        rows.push((key, bank::load_file(path).map_err(|e| e.to_string()), note));
    }
    let width = rows
        .iter()
        .map(|(k, _, _)| k.chars().count())
        .max()
        .unwrap_or(0);

    let on = crate::color::stdout();
    writeln!(out, "{}", bold("Built-in banks:", on))?;
    for (i, (key, loaded, note)) in rows.iter().enumerate() {
        if i == built_in {
            writeln!(out)?;
            match &paths.banks {
                Some(dir) => writeln!(
                    out,
                    "{}",
                    bold(
                        &format!("Your banks, in {}:", sanitize(&dir.display().to_string())),
                        on
                    )
                )?,
                None => writeln!(out, "{}", bold("Your banks:", on))?,
            }
        }
        let key = bold(&format!("{:width$}", sanitize(key)), on);
        bank_row(&mut out, &key, loaded, note)?;
    }
    if rows.len() == built_in {
        writeln!(out)?;
        match &paths.banks {
            Some(dir) => writeln!(
                out,
                "Your banks, in {}: none yet; 'rehearse banks import FILE' adds one.",
                sanitize(&dir.display().to_string())
            )?,
            None => writeln!(
                out,
                "Your banks: no folder for them (set REHEARSE_DATA_DIR)."
            )?,
        }
    }
    Ok(exit::SUCCESS)
}

fn counts(questions: usize, categories: usize) -> String {
    format!(
        "{questions} question{} in {categories} categor{}",
        if questions == 1 { "" } else { "s" },
        if categories == 1 { "y" } else { "ies" }
    )
}

/// `.toml` and `.json` files in the user's banks folder, sorted; none if there is no
/// such folder yet. A folder that cannot be read is an error, not an empty list.
fn user_bank_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e == "toml" || e == "json")
        })
        .collect();
    files.sort();
    Ok(files)
}

fn file_stem(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// `Frontend developer` → `frontend-developer`: the name people type after `rehearse run`.
fn file_key(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "imported".to_string()
    } else {
        words.join("-")
    }
}

fn import_list(args: &ImportArgs, paths: &Paths) -> anyhow::Result<u8> {
    let name = args.name.as_deref().map(import::clean);
    if name.as_deref() == Some("") {
        return Err(UsageError("--name: give the bank a name with some letters".into()).into());
    }
    let key = file_key(args.name.as_deref().unwrap_or(&file_stem(&args.file)));
    let (out, in_banks_folder) = match &args.output {
        Some(out) => (out.clone(), false),
        None => match &paths.banks {
            Some(dir) => (dir.join(format!("{key}.toml")), true),
            None => {
                return Err(UsageError(
                    "no folder for your banks: set REHEARSE_DATA_DIR or pass -o OUT.toml".into(),
                )
                .into());
            }
        },
    };
    if !out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return Err(UsageError(format!(
            "-o {}: a bank is written as TOML; give a file name ending in .toml",
            out.display()
        ))
        .into());
    }
    if out.exists() && !args.force {
        return Err(UsageError(format!(
            "{} already exists; pass --force to replace it, or -o to write elsewhere",
            out.display()
        ))
        .into());
    }

    let opened = bank::open_file(&args.file)?;
    if let Some(report) = &opened.report {
        super::tell_import(report, args.verbose, "--verbose lists them all");
    }
    let mut bank = opened.bank;
    if let Some(name) = name {
        bank.name = name;
    }

    let source = sanitize(&args.file.display().to_string());
    let mut header = vec![format!("Imported by rehearse from {source}.")];
    if let Some(report) = &opened.report {
        header.push(sanitize(&report.to_string()));
    }
    header.push(
        "Edit freely. Keep an id once you have practised with it: session logs refer to it."
            .to_string(),
    );
    header.push(
        "Answer time: add time_limit = \"2m\" to the bank, a [[categories]] entry or a question."
            .to_string(),
    );
    let toml = write::to_toml(&bank, &header);

    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    // Written beside the target and renamed, so a failed write never leaves half a bank.
    let partial = out.with_extension("toml.partial");
    crate::files::write_replacing(&out, &partial, toml.as_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;

    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "wrote {}", sanitize(&out.display().to_string()))?;
    let run_with = if in_banks_folder {
        key
    } else {
        sanitize(&out.display().to_string())
    };
    writeln!(stdout, "practise with: rehearse run {run_with}")?;
    Ok(exit::SUCCESS)
}

fn check_files(args: &CheckArgs, paths: &Paths) -> anyhow::Result<u8> {
    let mut out = std::io::stdout().lock();
    let mut problems = 0;
    let mut files_with_problems = 0;
    for spec in &args.files {
        let lines = match bank::locate(spec, paths.banks.as_deref()) {
            Err(e) => vec![Err(e.to_string())],
            Ok(Location::Embedded(e)) => check_bank_text(e.text, Path::new(e.file_name)),
            Ok(Location::File(path)) => check_file(&path),
        };
        let mut found = 0;
        for line in lines {
            match line {
                Ok(fine) => writeln!(out, "{}", sanitize(&fine))?,
                Err(problem) => {
                    found += 1;
                    writeln!(out, "{}", sanitize(&problem))?;
                }
            }
        }
        problems += found;
        files_with_problems += usize::from(found > 0);
    }
    if problems == 0 {
        return Ok(exit::SUCCESS);
    }
    out.flush()?;
    let _ = writeln!(
        std::io::stderr(),
        "rehearse: {problems} problem{} in {files_with_problems} of {} file{}",
        if problems == 1 { "" } else { "s" },
        args.files.len(),
        if args.files.len() == 1 { "" } else { "s" },
    );
    Ok(exit::USAGE)
}

/// Lines to print for one file: `Ok` for what is fine, `Err` for each problem.
fn check_file(path: &Path) -> Vec<Result<String, String>> {
    if import::Format::from_path(path).is_some() {
        return match bank::open_file(path) {
            Ok(opened) => {
                let mut lines = Vec::new();
                if let Some(report) = opened.report {
                    lines.extend(report.warnings.iter().map(|w| Ok(format!("warning: {w}"))));
                    lines.push(Ok(report.to_string()));
                }
                lines
            }
            Err(e) => vec![Err(e.to_string())],
        };
    }
    let text =
        read::read_capped(path).and_then(|bytes| read::decode(&bytes, path, read::Legacy::Refuse));
    match text {
        Ok(decoded) => check_bank_text(&decoded.text, path),
        Err(e) => vec![Err(e.to_string())],
    }
}

fn check_bank_text(text: &str, path: &Path) -> Vec<Result<String, String>> {
    let problems = check::check_text(text, path);
    if problems.is_empty() {
        let summary = bank::parse_bank(text, path, "check", bank::Source::Embedded)
            .map(|b| counts(b.questions.len(), b.categories.len()))
            .unwrap_or_default();
        return vec![Ok(format!("{}: ok, {summary}", path.display()))];
    }
    problems
        .into_iter()
        .map(|p| {
            Err(format!(
                "{}:{}:{}: {}",
                path.display(),
                p.line,
                p.column,
                p.message
            ))
        })
        .collect()
}

/// One bank of the listing: its counts, when it was reviewed, and a category a line
/// (names may hold commas of their own).
fn bank_row(
    out: &mut impl Write,
    key: &str,
    loaded: &Result<Bank, String>,
    note: &str,
) -> std::io::Result<()> {
    let bank = match loaded {
        Ok(bank) => bank,
        Err(e) => return writeln!(out, "  {key}  cannot be loaded: {}", sanitize(e)),
    };
    let reviewed = bank
        .reviewed
        .as_deref()
        .map(|r| format!(", reviewed {}", sanitize(r)))
        .unwrap_or_default();
    writeln!(
        out,
        "  {key}  {}{reviewed}{note}",
        counts(bank.questions.len(), bank.categories.len())
    )?;
    for category in &bank.categories {
        let options = textwrap::Options::new(WIDTH)
            .initial_indent("      · ")
            .subsequent_indent("        ");
        writeln!(
            out,
            "{}",
            textwrap::fill(&sanitize(&category.name), options)
        )?;
    }
    Ok(())
}
