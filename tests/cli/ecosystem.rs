//! What makes rehearse fit in beside other command-line tools: shell completions that load,
//! a man page that renders, colour that follows `--color`, `NO_COLOR` and
//! `CLICOLOR_FORCE`, and a package with the program's files and nothing else. A test that
//! needs bash, man or tmux fails, naming the Debian package, when the tool is missing:
//! passing without checking would hide a gap.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use clap::CommandFactory;
use rehearse::cli::Cli;

use crate::util::Env;

/// Fails the test unless `tool` runs.
fn need(tool: &str, version_flag: &str, package: &str) {
    let found = Command::new(tool)
        .arg(version_flag)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok();
    assert!(
        found,
        "{tool} is not installed, and this test needs it: apt-get install {package}"
    );
}

fn stdout(env: &Env, args: &[&str]) -> String {
    let out = env.cmd().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect()
}

#[test]
fn the_bash_script_loads_and_completes() {
    need("bash", "--version", "bash");
    let env = Env::new();
    let script = env.write("rehearse.bash", &stdout(&env, &["completions", "bash"]));
    // What bash offers after `rehearse ` and after `rehearse review export --format `.
    let probe = format!(
        "source {script}\n\
         complete -p rehearse\n\
         COMP_WORDS=(rehearse ''); COMP_CWORD=1; _rehearse rehearse '' rehearse\n\
         echo \"commands: ${{COMPREPLY[*]}}\"\n\
         COMP_WORDS=(rehearse review export --format ''); COMP_CWORD=4\n\
         _rehearse rehearse '' --format\n\
         echo \"formats: ${{COMPREPLY[*]}}\"\n",
        script = script.display()
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &probe])
        .env_clear()
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        text.contains("-F _rehearse rehearse"),
        "complete -p rehearse: {text}"
    );
    let commands = text
        .lines()
        .find_map(|l| l.strip_prefix("commands: "))
        .unwrap();
    for sub in subcommands() {
        assert!(
            commands.split(' ').any(|w| w == sub),
            "{sub} not offered: {commands}"
        );
    }
    assert!(text.contains("formats: md csv json"), "{text}");
}

#[test]
fn every_shell_gets_a_script_with_every_subcommand() {
    let env = Env::new();
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = stdout(&env, &["completions", shell]);
        assert!(script.lines().count() > 20, "{shell}: {script}");
        for sub in subcommands() {
            assert!(script.contains(&sub), "{shell} script lacks {sub}");
        }
    }
    let fish = stdout(&env, &["completions", "fish"]);
    assert!(fish.contains("complete -c rehearse"), "{fish}");
    let zsh = stdout(&env, &["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef rehearse"), "{zsh}");
    env.cmd()
        .args(["completions", "tcsh"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "possible values: bash, elvish, fish",
        ));
}

/// `rehearse man | man -l -`, as a person reads it.
fn rendered_man_page(env: &Env) -> String {
    need("man", "--version", "man-db");
    let page = env.write("rehearse.1", &stdout(env, &["man"]));
    let out = Command::new("man")
        .args(["--warnings", "-l"])
        .arg(&page)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("MANWIDTH", "80")
        .output()
        .unwrap();
    assert!(out.status.success(), "man -l failed: {out:?}");
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "",
        "man --warnings complained"
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_man_page_renders_cleanly_with_every_run_flag() {
    let env = Env::new();
    let text = rendered_man_page(&env);
    let cli = Cli::command();
    let run = cli.find_subcommand("run").unwrap();
    let mut flags = 0;
    for arg in run.get_arguments().filter(|a| !a.is_hide_set()) {
        if let Some(long) = arg.get_long() {
            flags += 1;
            assert!(text.contains(&format!("--{long}")), "--{long} missing");
        }
        if let Some(short) = arg.get_short() {
            assert!(text.contains(&format!("-{short}, --")), "-{short} missing");
        }
    }
    assert!(flags > 20, "run has {flags} flags");
    for heading in [
        "NAME",
        "SYNOPSIS",
        "OPTIONS",
        "COMMANDS",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
        "EXAMPLES",
    ] {
        assert!(
            text.lines().any(|l| l == heading),
            "no {heading} section:\n{text}"
        );
    }
    for sub in subcommands() {
        assert!(
            text.contains(&format!("   rehearse {sub}\n")),
            "no section for {sub}"
        );
    }
    for needle in [
        "REHEARSE_CONFIG",
        "REHEARSE_DATA_DIR",
        "REHEARSE_LOG_DIR",
        "NO_COLOR",
        "CLICOLOR_FORCE",
        "~/.config/rehearse/config.toml",
        "       130    ",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
    assert!(
        text.lines().all(|l| l.chars().count() <= 80),
        "a line wider than MANWIDTH"
    );
}

const ESC: &str = "\x1b[";

#[test]
fn colour_follows_the_flag_then_no_color_then_clicolor_force() {
    let env = Env::new();
    let banks = |flag: &[&str], vars: &[(&str, &str)]| {
        let mut cmd = env.cmd();
        cmd.args(flag).arg("banks");
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap().contains(ESC)
    };
    // Into a pipe, as in `rehearse --color always banks | cat`.
    assert!(!banks(&[], &[]), "no colour into a pipe by default");
    assert!(banks(&["--color", "always"], &[]));
    assert!(
        banks(&["--color=always"], &[("NO_COLOR", "1")]),
        "the flag wins"
    );
    assert!(!banks(&["--color", "never"], &[("CLICOLOR_FORCE", "1")]));
    assert!(banks(&[], &[("CLICOLOR_FORCE", "1")]));
    assert!(!banks(&[], &[("CLICOLOR_FORCE", "0")]));
    assert!(!banks(&[], &[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]));
    assert!(!banks(&["--color", "auto"], &[("CLICOLOR_FORCE", "1")]));

    // The config file's `color`, under the environment.
    let config = env.write("config.toml", "color = \"always\"\n");
    let config = config.to_str().unwrap();
    assert!(banks(&[], &[("REHEARSE_CONFIG", config)]));
    assert!(!banks(
        &[],
        &[("REHEARSE_CONFIG", config), ("NO_COLOR", "1")]
    ));
    let show = env
        .cmd()
        .env("REHEARSE_CONFIG", config)
        .args(["config", "show"])
        .output()
        .unwrap();
    let show = String::from_utf8(show.stdout).unwrap();
    assert!(
        show.contains("\x1b[1mcolor"),
        "config show is coloured: {show}"
    );
    let row = show.lines().find(|l| l.contains("color")).unwrap();
    assert!(row.contains("  always  "), "{row:?}");
    assert!(row.ends_with("config file, line 1"), "{row:?}");

    // Errors too, on standard error.
    let error = |flag: &str| {
        let out = env
            .cmd()
            .args([flag, "run", "no-such-bank"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        String::from_utf8(out.stderr).unwrap()
    };
    let coloured = error("--color=always");
    assert!(coloured.contains(ESC), "{coloured:?}");
    assert!(coloured.contains("no bank named"), "{coloured:?}");
    assert_eq!(
        error("--color=never"),
        "rehearse: no bank named \"no-such-bank\"; known banks: behavioral, \
         healthcare-records-manager\n"
    );
    // And clap's own usage errors.
    let usage = env
        .cmd()
        .args(["--color", "always", "run", "--no-such-flag"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&usage.stderr).contains(ESC));
    let usage = env
        .cmd()
        .args(["run", "--no-such-flag"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&usage.stderr).contains(ESC));
}

#[test]
fn a_bad_color_value_in_the_config_is_reported_with_its_place() {
    let env = Env::new();
    let config = env.write("config.toml", "count = 3\ncolor = \"sometimes\"\n");
    env.cmd()
        .env("REHEARSE_CONFIG", &config)
        .args(["config", "show"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "config.toml:2:9: unknown variant `sometimes`, expected one of `auto`, `always`, `never`",
        ));
}

/// Runs `command` in a tmux pane until it prints DONE and returns the screen with its
/// colours (`capture-pane -e`).
fn in_tmux(env: &Env, name: &str, command: &str) -> String {
    need("tmux", "-V", "tmux");
    let socket = env.path().join(format!("{name}.sock"));
    let socket = socket.to_str().unwrap();
    let status = Command::new("tmux")
        .args(["-S", socket, "new-session", "-d", "-x", "100", "-y", "30"])
        .arg(format!("{command}; echo DONE; sleep 30"))
        .status()
        .unwrap();
    assert!(status.success(), "tmux did not start");
    let deadline = Instant::now() + Duration::from_secs(10);
    let screen = loop {
        let out = Command::new("tmux")
            .args(["-S", socket, "capture-pane", "-p", "-e"])
            .output()
            .unwrap();
        let screen = String::from_utf8_lossy(&out.stdout).into_owned();
        if screen.contains("DONE") {
            break screen;
        }
        assert!(Instant::now() < deadline, "no DONE: {screen}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let _ = Command::new("tmux")
        .args(["-S", socket, "kill-server"])
        .status();
    screen
}

#[test]
fn on_a_terminal_colour_is_on_unless_never_or_no_color() {
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let line = |vars: &str, flag: &str, args: &str| {
        format!(
            "env -i PATH=/usr/bin:/bin TERM=xterm-256color REHEARSE_DATA_DIR={dir}/data \
             {vars} {bin} {flag} {args}",
            dir = env.path().display(),
            bin = bin.display()
        )
    };
    let banks = in_tmux(&env, "auto", &line("", "", "banks"));
    assert!(banks.contains("Built-in banks"), "{banks}");
    assert!(banks.contains(ESC), "colour on a terminal: {banks}");
    let never = in_tmux(&env, "never", &line("", "--color never", "banks"));
    assert!(never.contains("Built-in banks"), "{never}");
    assert!(!never.contains(ESC), "--color never: {never}");
    let no_color = in_tmux(&env, "no-color", &line("NO_COLOR=1", "", "banks"));
    assert!(no_color.contains("Built-in banks"), "{no_color}");
    assert!(!no_color.contains(ESC), "NO_COLOR=1: {no_color}");
    let dumb = in_tmux(&env, "dumb", &line("TERM=dumb", "", "banks"));
    assert!(!dumb.contains(ESC), "TERM=dumb: {dumb}");

    // The session's bar and headings: coloured, and not with --color never.
    let session = "run --count 1 --time 2s --gap 0 --auto --no-coach --no-log --mute";
    let run = in_tmux(&env, "run", &line("", "", session));
    assert!(run.contains("Question 1/1") && run.contains(ESC), "{run}");
    let run = in_tmux(&env, "run-never", &line("", "--color never", session));
    assert!(run.contains("Question 1/1"), "{run}");
    assert!(!run.contains(ESC), "--color never: {run}");
}

/// What `cargo package` would publish: the program, its banks and sounds, and no test
/// fixtures, benchmarks or CI.
#[test]
fn the_package_holds_the_program_and_not_the_test_data() {
    let out = Command::new(env!("CARGO"))
        .args(["package", "--list", "--offline", "--allow-dirty"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let list = String::from_utf8(out.stdout).unwrap();
    let files: Vec<&str> = list.lines().collect();
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "src/main.rs",
        "questions/behavioral.toml",
        "questions/healthcare-records-manager.toml",
        "sounds/warning.wav",
        "sounds/time_up.wav",
    ] {
        assert!(files.contains(&needed), "{needed} missing from:\n{list}");
    }
    for file in &files {
        assert!(
            !file.starts_with("tests/cli/fixtures/")
                && !file.starts_with("benches/")
                && !file.starts_with(".ci/"),
            "{file} should not be published"
        );
    }
    // Every built-in bank and sound, whatever its name.
    for dir in ["questions", "sounds"] {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(root).unwrap() {
            let name = format!("{dir}/{}", entry.unwrap().file_name().to_string_lossy());
            assert!(files.contains(&name.as_str()), "{name} missing");
        }
    }
}
