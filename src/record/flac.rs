//! A FLAC file written as the answer is spoken: the header first, then one frame every
//! 256 ms of audio, each written out at once, and the header's length brought up to date
//! after it, so a session killed mid-answer leaves a file that plays, and says how long it
//! is, up to its last frame.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};

use flacenc::bitsink::ByteSink;
use flacenc::component::{BitRepr, StreamInfo};
use flacenc::error::{Verified, Verify};
use flacenc::source::{Fill, FrameBuf};

use super::detect::RATE;

/// Samples in one frame: 256 ms.
const BLOCK: usize = 4096;

/// The shortest frame the encoder writes.
const MIN_BLOCK: usize = 32;

/// Where the STREAMINFO block starts: after `fLaC` and the block's own header.
const INFO_AT: u64 = 8;

pub struct FlacWriter {
    file: File,
    info: StreamInfo,
    config: Verified<flacenc::config::Encoder>,
    pending: Vec<i32>,
    frames: usize,
    buf: FrameBuf,
    written: u64,
}

impl FlacWriter {
    /// Writes the header into `file`, new and empty (the caller makes it, never through
    /// a link or over another file).
    pub fn new(file: File) -> std::io::Result<FlacWriter> {
        let mut info = StreamInfo::new(RATE as usize, 1, 16).map_err(invalid)?;
        info.set_block_sizes(BLOCK, BLOCK).map_err(invalid)?;
        info.set_frame_sizes(0, 0).map_err(invalid)?;
        let config = flacenc::config::Encoder::default()
            .into_verified()
            .map_err(|(_, e)| invalid(e))?;
        let mut writer = FlacWriter {
            file,
            info,
            config,
            pending: Vec::with_capacity(BLOCK),
            frames: 0,
            buf: FrameBuf::with_size(1, BLOCK).map_err(invalid)?,
            written: 0,
        };
        let mut head = b"fLaC".to_vec();
        // The last (and only) metadata block: STREAMINFO, 34 bytes.
        head.extend_from_slice(&[0x80, 0, 0, 34]);
        head.extend_from_slice(&writer.info_bytes()?);
        writer.write(&head)?;
        Ok(writer)
    }

    fn info_bytes(&self) -> std::io::Result<Vec<u8>> {
        let mut sink = ByteSink::new();
        self.info
            .write(&mut sink)
            .map_err(|e| invalid(format!("{e:?}")))?;
        Ok(sink.as_slice().to_vec())
    }

    /// The file written to.
    pub fn file(&self) -> &File {
        &self.file
    }

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    pub fn push(&mut self, samples: &[i16]) -> std::io::Result<()> {
        for &s in samples {
            self.pending.push(i32::from(s));
            if self.pending.len() == BLOCK {
                self.encode()?;
            }
        }
        Ok(())
    }

    fn encode(&mut self) -> std::io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        // The encoder takes no frame under 32 samples: a last one that short (under 2 ms)
        // is made up with silence rather than lost with the whole answer.
        if self.pending.len() < MIN_BLOCK {
            self.pending.resize(MIN_BLOCK, 0);
        }
        if self.pending.len() != BLOCK {
            self.buf = FrameBuf::with_size(1, self.pending.len()).map_err(invalid)?;
        }
        self.buf.fill_interleaved(&self.pending).map_err(invalid)?;
        let frame =
            flacenc::encode_fixed_size_frame(&self.config, &self.buf, self.frames, &self.info)
                .map_err(invalid)?;
        let mut sink = ByteSink::new();
        frame
            .write(&mut sink)
            .map_err(|e| invalid(format!("{e:?}")))?;
        self.write(sink.as_slice())?;
        self.info
            .set_total_samples(self.info.total_samples() + self.pending.len());
        self.frames += 1;
        self.pending.clear();
        self.write_length()
    }

    /// The header's length, brought up to what has been written.
    fn write_length(&mut self) -> std::io::Result<()> {
        let info = self.info_bytes()?;
        self.file.seek(SeekFrom::Start(INFO_AT))?;
        self.file.write_all(&info)?;
        self.file.seek(SeekFrom::Start(self.written))?;
        Ok(())
    }

    /// The last samples, made durable.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.encode()?;
        self.file.sync_all()
    }
}

fn invalid(e: impl std::fmt::Debug) -> std::io::Error {
    std::io::Error::other(format!("FLAC encoder: {e:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rodio::Source;

    use std::path::Path;

    fn create(path: &Path) -> FlacWriter {
        FlacWriter::new(File::create(path).unwrap()).unwrap()
    }

    fn decode(path: &Path) -> (u32, u16, Vec<f32>) {
        let file = std::fs::File::open(path).unwrap();
        let decoder = rodio::Decoder::try_from(file).unwrap();
        let (rate, channels) = (decoder.sample_rate().get(), decoder.channels().get());
        (rate, channels, decoder.collect())
    }

    fn tone(n: usize) -> Vec<i16> {
        (0..n)
            .map(|i| (6000.0 * (i as f64 * 0.07).sin()) as i16)
            .collect()
    }

    #[test]
    fn a_finished_file_decodes_to_what_was_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.flac");
        let samples = tone(RATE as usize * 2 + 123);
        let mut w = create(&path);
        for chunk in samples.chunks(1000) {
            w.push(chunk).unwrap();
        }
        w.finish().unwrap();
        let (rate, channels, decoded) = decode(&path);
        assert_eq!((rate, channels), (RATE, 1));
        assert_eq!(decoded.len(), samples.len());
        for (a, b) in decoded.iter().zip(&samples) {
            assert!((a * 32768.0 - f32::from(*b)).abs() <= 1.0);
        }
    }

    #[test]
    fn a_last_frame_under_32_samples_is_made_up_with_silence() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("short.flac");
        let mut w = create(&path);
        w.push(&tone(BLOCK + 10)).unwrap();
        w.finish().unwrap();
        let (_, _, decoded) = decode(&path);
        assert_eq!(decoded.len(), BLOCK + MIN_BLOCK);
        assert!(decoded[BLOCK + 10..].iter().all(|&s| s == 0.0));
    }

    #[test]
    fn an_unfinished_file_plays_up_to_its_last_frame() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.flac");
        let mut w = create(&path);
        w.push(&tone(BLOCK * 3 + 100)).unwrap();
        // Never finished, as when the process is killed.
        std::mem::forget(w);
        let (_, _, decoded) = decode(&path);
        assert_eq!(decoded.len(), BLOCK * 3);
        // And its header says how long that is, for a player's bar.
        let decoder = rodio::Decoder::try_from(File::open(&path).unwrap()).unwrap();
        let ms = decoder.total_duration().unwrap().as_millis();
        assert_eq!(ms, (BLOCK * 3 * 1000 / RATE as usize) as u128);
    }
}
