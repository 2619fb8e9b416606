//! A FLAC file written as the answer is spoken: the header first, then one frame every
//! 256 ms of audio, each written out at once, so a session killed mid-answer leaves a file
//! that plays up to its last frame. When the take ends the header gets its length.

use std::fs::File;
use std::io::{Seek, SeekFrom, Write};
use std::path::Path;

use flacenc::bitsink::ByteSink;
use flacenc::component::{BitRepr, StreamInfo};
use flacenc::error::{Verified, Verify};
use flacenc::source::{Fill, FrameBuf};

use super::detect::RATE;

/// Samples in one frame: 256 ms.
const BLOCK: usize = 4096;

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
    /// Creates `path` (readable by its owner only) and writes the header.
    pub fn create(path: &Path) -> std::io::Result<FlacWriter> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(path)?;
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

    fn write(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        self.file.write_all(bytes)?;
        self.written += bytes.len() as u64;
        Ok(())
    }

    /// Bytes on disk so far.
    pub fn written(&self) -> u64 {
        self.written
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
        Ok(())
    }

    /// The last samples, and the length in the header.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.encode()?;
        let info = self.info_bytes()?;
        self.file.seek(SeekFrom::Start(INFO_AT))?;
        self.file.write_all(&info)?;
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
        let mut w = FlacWriter::create(&path).unwrap();
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
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn an_unfinished_file_plays_up_to_its_last_frame() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cut.flac");
        let mut w = FlacWriter::create(&path).unwrap();
        w.push(&tone(BLOCK * 3 + 100)).unwrap();
        // Never finished, as when the process is killed.
        std::mem::forget(w);
        let (_, _, decoded) = decode(&path);
        assert_eq!(decoded.len(), BLOCK * 3);
    }
}
