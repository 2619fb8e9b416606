//! What a person sees in a real terminal, through tmux: the bar is drawn, keys work, and
//! the terminal is given back as it was. Skipped (with a note) where tmux is missing,
//! except on CI, whose script installs it.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &Path, command: &str) -> Option<Tmux> {
        if Command::new("tmux").arg("-V").output().is_err() {
            assert!(
                std::env::var_os("CI").is_none(),
                "tmux is needed on CI (.ci/run installs it)"
            );
            eprintln!("tmux is not installed: terminal test skipped");
            return None;
        }
        let socket = dir.join("tmux.sock").display().to_string();
        let status = Command::new("tmux")
            .args([
                "-S",
                &socket,
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "30",
                command,
            ])
            .status()
            .expect("start tmux");
        assert!(status.success());
        Some(Tmux { socket })
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-S", &self.socket, "capture-pane", "-p"])
            .output()
            .expect("capture the pane");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        Command::new("tmux")
            .args(["-S", &self.socket, "send-keys"])
            .args(keys)
            .status()
            .expect("send keys");
    }

    /// Waits up to 10 s for the screen to show `text`.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited for {text:?}; the screen shows:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-S", &self.socket, "kill-server"])
            .status();
    }
}

#[test]
fn the_bar_counts_down_and_the_terminal_is_restored() {
    let env = crate::util::Env::new();
    let bin = assert_cmd::cargo::cargo_bin("rehearse");
    let script = format!(
        "cd {dir} && REHEARSE_DATA_DIR={dir}/data {bin} run --count 2 --time 30s; \
         echo EXIT=$?; stty -a | grep -o -- '-*icanon' ; sleep 30",
        dir = env.path().display(),
        bin = bin.display()
    );
    let Some(tmux) = Tmux::start(env.path(), &script) else {
        return;
    };
    let screen = tmux.wait_for("left");
    assert!(screen.contains("Question 1/2 · "), "{screen}");
    // Drawn in full blocks, or shaded while it flashes for a cue.
    assert!(
        screen.contains('█') || screen.contains('▓'),
        "a bar: {screen}"
    );
    assert!(
        screen.contains("0:30 left") || screen.contains("0:29 left"),
        "{screen}"
    );

    tmux.keys(&["p"]);
    tmux.wait_for("PAUSED");
    tmux.keys(&["p"]);
    tmux.keys(&["?"]);
    tmux.wait_for("pause / resume");
    tmux.keys(&["Enter"]);
    tmux.wait_for("Question 2/2");
    tmux.keys(&["q"]);
    let screen = tmux.wait_for("EXIT=");
    assert!(screen.contains("answered in 0:0"), "{screen}");
    assert!(screen.contains("Session ended early"), "{screen}");
    assert!(screen.contains("EXIT=130"), "{screen}");
    // Line editing is back on: the terminal was restored.
    let screen = tmux.wait_for("icanon");
    assert!(!screen.contains("-icanon"), "{screen}");
}
