//! A private PulseAudio server for the tests (`pulse-rig`, in this folder): virtual
//! speakers and a virtual microphone, paced in real time like hardware. rehearse reaches
//! it through ALSA's pulse plugin; the tests speak into the microphone with `paplay` and
//! hear the speakers with `parecord`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub struct PulseRig {
    dir: PathBuf,
    /// What a program needs in its environment to reach this server.
    pub env: Vec<(String, String)>,
}

impl PulseRig {
    /// Starts a server of its own in `dir`; fails naming the package a missing tool is in.
    pub fn start(dir: &Path) -> PulseRig {
        for (tool, package) in [
            ("pulseaudio", "pulseaudio"),
            ("parecord", "pulseaudio-utils"),
        ] {
            assert!(
                Command::new(tool).arg("--version").output().is_ok(),
                "{tool} is not installed, and this test needs it: apt-get install {package} \
                 (with pulseaudio-utils and libasound2-plugins)"
            );
        }
        let plugin = Command::new("sh")
            .args(["-c", "ls /usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so"])
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            plugin,
            "ALSA's pulse plugin is needed: apt-get install libasound2-plugins"
        );
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/rig/pulse-rig");
        let out = Command::new("bash")
            .arg(&script)
            .arg("start")
            .arg(dir)
            .output()
            .expect("run pulse-rig");
        let exports = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && exports.contains("export"),
            "pulse-rig: {exports}"
        );
        // `export A='x' B='y'`
        let env = exports
            .trim()
            .trim_start_matches("export ")
            .split("' ")
            .filter_map(|pair| {
                let (k, v) = pair.split_once('=')?;
                Some((k.to_string(), v.trim_matches('\'').to_string()))
            })
            .collect();
        PulseRig {
            dir: dir.to_path_buf(),
            env,
        }
    }
}

impl Drop for PulseRig {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli/rig/pulse-rig");
        let _ = Command::new("bash")
            .arg(script)
            .arg("stop")
            .arg(&self.dir)
            .status();
    }
}

impl PulseRig {
    /// Starts hearing the speakers: 16-bit mono samples at 48 kHz go into `out` until the
    /// returned recorder is stopped.
    pub fn hear(&self, out: &Path) -> Hearing {
        let child = Command::new("parecord")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args([
                "--device=rig_speakers.monitor",
                // Small fragments, so what was played is written out before it stops.
                "--latency-msec=20",
                "--raw",
                "--format=s16le",
                "--rate=48000",
                "--channels=1",
            ])
            .arg(out)
            .stdin(Stdio::null())
            .spawn()
            .expect("start parecord (pulseaudio-utils)");
        Hearing { child }
    }
}

/// `parecord` hearing the speakers.
pub struct Hearing {
    child: Child,
}

impl Hearing {
    /// Stops hearing and lets the recorder write what it has.
    pub fn stop(mut self) {
        // SIGINT makes parecord flush and exit cleanly.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGINT) };
        let _ = self.child.wait();
    }
}

impl Drop for Hearing {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl PulseRig {
    /// Starts "speaking" `file` into the virtual microphone, in real time; the returned
    /// player ends when the file has been played.
    pub fn speak(&self, file: &Path) -> Child {
        Command::new("paplay")
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .arg("--device=rig_mic")
            .arg(file)
            .stdin(Stdio::null())
            .spawn()
            .expect("start paplay (pulseaudio-utils)")
    }
}
