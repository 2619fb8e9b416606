//! Sound in and out of the transcriber: a WAV or FLAC file read as 16 kHz mono, a chunk
//! written as a WAV for a program of one's own, and a long recording cut into chunks at
//! its quietest moments.

use std::ops::Range;
use std::path::Path;
use std::time::Duration;

use super::RATE;

/// A recording longer than this is refused rather than read into memory: four hours.
const MAX_SECONDS: u64 = 4 * 3600;

/// Reads a WAV or FLAC file (any rate, any number of channels) as 16 kHz mono samples
/// from -1 to 1.
pub fn read(path: &Path) -> Result<Vec<f32>, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let decoder = rodio::Decoder::try_from(file)
        .map_err(|e| format!("not a WAV or FLAC file rehearse can read ({e})"))?;
    let (Some(one), Some(rate)) = (rodio::ChannelCount::new(1), rodio::SampleRate::new(RATE))
    else {
        unreachable!("1 and 16000 are not zero")
    };
    let limit = (MAX_SECONDS * u64::from(RATE)) as usize;
    let samples: Vec<f32> = rodio::source::UniformSourceIterator::new(decoder, one, rate)
        .take(limit + 1)
        .collect();
    if samples.len() > limit {
        return Err(format!(
            "longer than {} hours: cut it into answers first",
            MAX_SECONDS / 3600
        ));
    }
    Ok(samples)
}

/// The samples as 16-bit integers, as the voice detector and WAV files take them.
pub fn to_i16(samples: &[f32]) -> Vec<i16> {
    samples
        .iter()
        .map(|s| (s * 32767.0).round().clamp(-32768.0, 32767.0) as i16)
        .collect()
}

/// A 16-bit mono WAV file of the samples.
pub fn wav(samples: &[f32]) -> Vec<u8> {
    let data = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + data as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data.to_le_bytes());
    for s in to_i16(samples) {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

/// Loudness is compared over windows of this many samples: 50 ms.
const WINDOW: usize = RATE as usize / 20;

/// Cuts `samples` into pieces of at most `longest`, each ending at the quietest 50 ms of
/// its last third, so that a cut falls between words rather than inside one.
pub fn chunks(samples: &[f32], longest: Duration) -> Vec<Range<usize>> {
    let max = ((longest.as_millis() as u64 * u64::from(RATE) / 1000) as usize).max(WINDOW * 3);
    let mut out = Vec::new();
    let mut start = 0;
    while samples.len() - start > max {
        let from = start + max * 2 / 3;
        let to = start + max;
        let cut = (from..to - WINDOW)
            .step_by(WINDOW / 2)
            .min_by(|&a, &b| {
                energy(&samples[a..a + WINDOW]).total_cmp(&energy(&samples[b..b + WINDOW]))
            })
            .map_or(to, |at| at + WINDOW / 2);
        out.push(start..cut);
        start = cut;
    }
    if start < samples.len() || out.is_empty() {
        out.push(start..samples.len());
    }
    out
}

fn energy(window: &[f32]) -> f32 {
    window.iter().map(|s| s * s).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_recordings_are_cut_in_their_pauses() {
        // Ten seconds of "speech" (a tone), one second of silence, ten seconds more.
        let tone = |n: usize| (0..n).map(|i| (i as f32 * 0.05).sin() * 0.5);
        let mut samples: Vec<f32> = tone(160_000).collect();
        samples.extend(std::iter::repeat_n(0.0, 16_000));
        samples.extend(tone(160_000));
        let pieces = chunks(&samples, Duration::from_secs(12));
        assert_eq!(pieces.len(), 2, "{pieces:?}");
        assert!((160_000..176_000).contains(&pieces[0].end), "{pieces:?}");
        assert_eq!(pieces[1], pieces[0].end..samples.len());
        assert_eq!(
            chunks(&samples[..1000], Duration::from_secs(30)),
            vec![0..1000]
        );
        assert_eq!(chunks(&[], Duration::from_secs(30)), vec![0..0]);
        // A recording without a pause is still cut, at most `longest` apart.
        let steady: Vec<f32> = tone(16_000 * 100).collect();
        let pieces = chunks(&steady, Duration::from_secs(30));
        assert!(pieces.iter().all(|r| r.len() <= 16_000 * 30), "{pieces:?}");
        assert_eq!(pieces.last().unwrap().end, steady.len());
    }

    #[test]
    fn a_wav_reads_back_as_it_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let samples: Vec<f32> = (0..1600)
            .map(|i| ((i % 100) as f32 - 50.0) / 100.0)
            .collect();
        let path = dir.path().join("a.wav");
        std::fs::write(&path, wav(&samples)).unwrap();
        let back = read(&path).unwrap();
        assert_eq!(back.len(), samples.len());
        assert!(back.iter().zip(&samples).all(|(a, b)| (a - b).abs() < 1e-3));
        std::fs::write(&path, b"not sound").unwrap();
        assert!(read(&path).unwrap_err().contains("not a WAV or FLAC file"));
    }
}
