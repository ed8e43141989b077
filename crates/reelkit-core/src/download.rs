//! Streamed, atomic, resumable downloads of rendered videos. Bytes go to a
//! temporary file beside the target, which is renamed into place only once the
//! size matches; anything else removes it. An expired signed URL (storage answers
//! 401/403) is replaced by re-reading the job; a dropped connection resumes with a
//! `Range` request when the storage supports it and restarts otherwise. The
//! temporary file is named after the target and the job (and locked while in use),
//! so one left by a killed process is resumed or replaced by the next download.

use crate::error::{Error, ErrorKind, Result};
use crate::poll::WaitError;
use crate::retry;
use crate::transport::{classify_reqwest_error, error_chain, ApiRequest, ResponseMeta, Transport};
use futures_util::StreamExt;
use serde_json::Value;
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct DownloadSpec {
    /// The API request that returns the object holding the signed URL.
    pub refresh: ApiRequest,
    /// JSON pointer to the URL in that object, e.g. `/url` or `/result/video_url`.
    pub url_pointer: String,
    /// A URL already known (skips the first refresh).
    pub url: Option<String>,
    pub path: PathBuf,
    pub max_url_refreshes: u32,
    /// Retries after a dropped connection or a transient storage error.
    pub max_retries: u32,
}

#[derive(Debug, Clone, Default)]
pub struct DownloadReport {
    pub path: PathBuf,
    pub bytes: u64,
    pub url_refreshes: u32,
    pub resumes: u32,
    pub restarts: u32,
    /// The last status call made for the URL (for raw responses).
    pub response: Option<ResponseMeta>,
}

/// Removes the temporary file unless the download completed.
struct TempFile {
    path: PathBuf,
    keep: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// `.NAME.<hash of the job's refresh path>.part`: the same name for the same target
/// and job in every process, so a rerun after a SIGKILL finds what was written.
fn temp_path_for(target: &Path, source: &str) -> PathBuf {
    // FNV-1a: stable across processes and Rust versions (unlike `DefaultHasher`).
    let tag = source.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    target.with_file_name(format!(".{}.{tag:016x}.part", file_name(target)))
}

fn file_name(target: &Path) -> String {
    target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "download".into())
}

/// Take the temporary file's lock without waiting (the kernel drops it when its
/// holder dies, even by SIGKILL). Without `flock` (not Linux), never shared.
#[cfg(target_os = "linux")]
fn try_lock(file: &std::fs::File) -> bool {
    use std::os::fd::AsRawFd;
    // SAFETY: a plain syscall on a descriptor `file` keeps open.
    unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) == 0 }
}

/// Open the temporary file for `target`: the per-job one (resuming what it holds)
/// unless another live download holds it, then a private one. Returns the file and
/// the bytes already in it.
#[cfg(target_os = "linux")]
fn open_temp(target: &Path, source: &str) -> std::io::Result<(TempFile, std::fs::File, u64)> {
    use std::os::unix::fs::MetadataExt;
    let shared = temp_path_for(target, source);
    for _ in 0..3 {
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&shared)?;
        if !try_lock(&file) {
            break; // in use by a live download: take a private file below
        }
        // A cleaner may have removed the path between our open and our lock.
        let ino = file.metadata()?.ino();
        if std::fs::metadata(&shared).is_ok_and(|m| m.ino() == ino) {
            remove_stale(target, &shared);
            let len = file.metadata()?.len();
            return Ok((
                TempFile {
                    path: shared,
                    keep: false,
                },
                file,
                len,
            ));
        }
    }
    let unique: u32 = rand::random();
    let path = target.with_file_name(format!(
        ".{}.{}.{unique:08x}.part",
        file_name(target),
        std::process::id()
    ));
    let file = std::fs::File::create(&path)?;
    try_lock(&file); // fresh and private: only keeps `remove_stale` off it
    Ok((TempFile { path, keep: false }, file, 0))
}

#[cfg(not(target_os = "linux"))]
fn open_temp(target: &Path, _source: &str) -> std::io::Result<(TempFile, std::fs::File, u64)> {
    let unique: u32 = rand::random();
    let path = target.with_file_name(format!(
        ".{}.{}.{unique:08x}.part",
        file_name(target),
        std::process::id()
    ));
    let file = std::fs::File::create(&path)?;
    Ok((TempFile { path, keep: false }, file, 0))
}

/// Remove other temporary files of `target` whose holder is gone (unlocked): left by
/// a killed download of another job, or by older versions' per-process names.
#[cfg(target_os = "linux")]
fn remove_stale(target: &Path, keep: &Path) {
    let prefix = format!(".{}.", file_name(target));
    let dir = match target.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(p) => p.to_path_buf(),
        None => PathBuf::from("."),
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if !name.starts_with(&prefix) || !name.ends_with(".part") || path == keep {
            continue;
        }
        if let Ok(file) = std::fs::OpenOptions::new().write(true).open(&path) {
            if try_lock(&file) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
}

/// How much is written before the kernel is asked to start putting it on disk.
const WRITEBACK_STEP: u64 = 8 << 20;

/// Start writing `len` bytes at `offset` to disk without waiting for it (Linux), so
/// the disk works while the network does and the final `sync_all` (the download is
/// durable once it returns) waits for the tail only, not the whole file.
#[cfg(target_os = "linux")]
fn start_writeback(file: &std::fs::File, offset: u64, len: u64) {
    use std::os::fd::AsRawFd;
    let (Ok(offset), Ok(len)) = (i64::try_from(offset), i64::try_from(len)) else {
        return;
    };
    // SAFETY: a plain syscall on a descriptor `file` keeps open; it only starts
    // writeback (no waiting, no memory passed) and a failure just loses the head start.
    unsafe {
        libc::sync_file_range(file.as_raw_fd(), offset, len, libc::SYNC_FILE_RANGE_WRITE);
    }
}

#[cfg(not(target_os = "linux"))]
fn start_writeback(_file: &std::fs::File, _offset: u64, _len: u64) {}

fn download_error(message: impl Into<String>, path: &Path) -> Error {
    let message = format!("{} (downloading to {})", message.into(), path.display());
    let mut e = Error::new(ErrorKind::Download, message);
    e.path = Some(path.display().to_string());
    e
}

/// Throw away what was written so far and count a restart.
fn restart(
    out: &mut std::io::BufWriter<std::fs::File>,
    written: &mut u64,
    report: &mut DownloadReport,
) -> std::io::Result<()> {
    out.flush()?;
    out.get_mut().set_len(0)?;
    out.seek(SeekFrom::Start(0))?;
    *written = 0;
    report.restarts += 1;
    Ok(())
}

/// Parse `Content-Range: bytes start-end/total`.
fn content_range(value: &str) -> Option<(u64, Option<u64>)> {
    let rest = value.trim().strip_prefix("bytes")?.trim();
    let (range, total) = rest.split_once('/')?;
    let (start, _) = range.split_once('-')?;
    Some((start.trim().parse().ok()?, total.trim().parse().ok()))
}

async fn fetch_url(
    transport: &Transport,
    spec: &DownloadSpec,
    report: &mut DownloadReport,
) -> Result<String> {
    let (value, meta) = transport.json_with_meta(&spec.refresh).await?;
    report.response = Some(meta);
    match value.pointer(&spec.url_pointer) {
        Some(Value::String(url)) if !url.is_empty() => Ok(url.clone()),
        _ => {
            let status = value
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("unknown");
            let mut e = Error::new(
                ErrorKind::Response,
                format!(
                    "no download URL yet (status {status:?}); wait for the job to complete before downloading"
                ),
            );
            e.body = Some(value);
            Err(e.with_request("GET", &spec.refresh.path))
        }
    }
}

pub async fn download<F, E>(
    transport: &Transport,
    spec: &DownloadSpec,
    mut on_progress: F,
) -> std::result::Result<DownloadReport, WaitError<E>>
where
    F: FnMut(u64, Option<u64>) -> std::result::Result<(), E>,
{
    let target = spec.path.clone();
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| {
            WaitError::Api(download_error(
                format!("cannot create {}: {e}", parent.display()),
                &target,
            ))
        })?;
    }
    let mut report = DownloadReport {
        path: target.clone(),
        ..Default::default()
    };
    let mut url = match &spec.url {
        Some(u) => u.clone(),
        None => fetch_url(transport, spec, &mut report)
            .await
            .map_err(WaitError::Api)?,
    };
    // A call's own `timeout=` (carried by its refresh request) bounds the media
    // fetch too: connecting and each read.
    let timeout = spec.refresh.timeout.unwrap_or(transport.timeout);
    let storage = transport.storage_client(timeout).map_err(WaitError::Api)?;
    let (mut temp, mut file, mut written) =
        open_temp(&target, &spec.refresh.path).map_err(|e| {
            WaitError::Api(download_error(
                format!("cannot create a temporary file beside it: {e}"),
                &target,
            ))
        })?;
    if written > 0 {
        // Left by a download of the same job that was killed: resume after it.
        file.seek(SeekFrom::Start(written))
            .map_err(|e| WaitError::Api(download_error(e.to_string(), &target)))?;
        report.resumes += 1;
        log::info!("resuming a previous download at {written} bytes");
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    let mut total: Option<u64> = None;
    let mut ranges_supported = false;
    let mut failures: u32 = 0;
    let mut last_report = Instant::now();
    // Bytes already handed to the kernel's writeback (see `start_writeback`).
    let mut writeback_from: u64 = 0;
    let io_err = |e: std::io::Error, p: &Path| {
        WaitError::Api(download_error(
            format!("writing the download failed: {e}"),
            p,
        ))
    };

    'attempts: loop {
        let mut request = storage.get(&url);
        if written > 0 {
            request = request.header("range", format!("bytes={written}-"));
        }
        let response = match tokio::time::timeout(timeout, request.send()).await {
            Ok(Ok(r)) => Some(r),
            Ok(Err(e)) => {
                let (_, err) = classify_reqwest_error(&e, timeout);
                log::warn!("download connection failed: {}", err.message);
                None
            }
            Err(_) => None,
        };
        let Some(response) = response else {
            failures += 1;
            if failures > spec.max_retries {
                return Err(WaitError::Api(download_error(
                    format!("download failed after {failures} attempts: could not reach storage"),
                    &target,
                )));
            }
            tokio::time::sleep(retry::backoff_delay(
                i64::from(failures) - 1,
                rand::random(),
            ))
            .await;
            continue;
        };
        let status = response.status().as_u16();
        match status {
            200 => {
                if written > 0 {
                    // The storage ignored our Range: start over.
                    restart(&mut out, &mut written, &mut report).map_err(|e| io_err(e, &target))?;
                }
                total = response.content_length();
                ranges_supported = response
                    .headers()
                    .get("accept-ranges")
                    .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"bytes"));
            }
            416 if written > 0 => {
                // What a killed download left is not a prefix of this one: start over.
                restart(&mut out, &mut written, &mut report).map_err(|e| io_err(e, &target))?;
                continue 'attempts;
            }
            206 => {
                let range = response
                    .headers()
                    .get("content-range")
                    .and_then(|v| v.to_str().ok())
                    .and_then(content_range);
                match range {
                    Some((start, size)) if start == written => {
                        if size.is_some() {
                            total = size;
                        }
                    }
                    _ => {
                        // A range we did not ask for: restart without Range.
                        restart(&mut out, &mut written, &mut report)
                            .map_err(|e| io_err(e, &target))?;
                        continue 'attempts;
                    }
                }
            }
            401 | 403 | 410 => {
                // Signed URL expired (S3 answers 403 AccessDenied): ask the API again.
                if report.url_refreshes >= spec.max_url_refreshes {
                    let mut e = download_error(
                        format!(
                            "storage refused the download URL ({status}) even after {} refreshes",
                            report.url_refreshes
                        ),
                        &target,
                    );
                    e.status = Some(status);
                    return Err(WaitError::Api(e));
                }
                report.url_refreshes += 1;
                log::info!("download URL refused with {status}; fetching a fresh one");
                url = fetch_url(transport, spec, &mut report)
                    .await
                    .map_err(WaitError::Api)?;
                continue;
            }
            404 | 408 | 429 | 500..=599 => {
                // 404 happens just after completion while storage catches up.
                failures += 1;
                if failures > spec.max_retries {
                    let mut e = download_error(
                        format!("storage answered {status} {failures} times"),
                        &target,
                    );
                    e.status = Some(status);
                    return Err(WaitError::Api(e));
                }
                let headers = crate::transport::collect_headers(response.headers());
                let delay = retry::retry_delay(
                    i64::from(failures) - 1,
                    &headers,
                    std::time::SystemTime::now(),
                    rand::random(),
                );
                tokio::time::sleep(delay).await;
                continue;
            }
            other => {
                let mut e = download_error(format!("storage answered {other}"), &target);
                e.status = Some(other);
                return Err(WaitError::Api(e));
            }
        }

        let mut stream = response.bytes_stream();
        let broke = loop {
            match tokio::time::timeout(timeout, stream.next()).await {
                Err(_) => break Some(format!("no data for {:.1} s", timeout.as_secs_f64())),
                Ok(None) => break None,
                Ok(Some(Err(e))) => break Some(error_chain(&e)),
                Ok(Some(Ok(chunk))) => {
                    out.write_all(&chunk).map_err(|e| io_err(e, &target))?;
                    written += chunk.len() as u64;
                    if written < writeback_from {
                        writeback_from = 0; // restarted from scratch
                    }
                    if written - writeback_from >= WRITEBACK_STEP {
                        out.flush().map_err(|e| io_err(e, &target))?;
                        start_writeback(out.get_ref(), writeback_from, written - writeback_from);
                        writeback_from = written;
                    }
                    if last_report.elapsed() >= Duration::from_millis(100) {
                        last_report = Instant::now();
                        on_progress(written, total).map_err(WaitError::Callback)?;
                    }
                }
            }
        };
        let short = total.is_some_and(|t| written < t);
        if broke.is_none() && !short {
            break;
        }
        if total.is_some_and(|t| written > t) {
            return Err(WaitError::Api(download_error(
                format!(
                    "received {written} bytes but the storage announced {}",
                    total.unwrap_or(0)
                ),
                &target,
            )));
        }
        failures += 1;
        let why = broke.unwrap_or_else(|| {
            format!(
                "connection closed after {written} of {} bytes",
                total.unwrap_or(0)
            )
        });
        if failures > spec.max_retries {
            return Err(WaitError::Api(download_error(
                format!("download interrupted {failures} times; last: {why}"),
                &target,
            )));
        }
        if ranges_supported && written > 0 {
            report.resumes += 1;
            log::info!("download interrupted at {written} bytes ({why}); resuming with Range");
        } else {
            log::info!("download interrupted ({why}); restarting");
            restart(&mut out, &mut written, &mut report).map_err(|e| io_err(e, &target))?;
        }
        tokio::time::sleep(retry::backoff_delay(
            i64::from(failures) - 1,
            rand::random(),
        ))
        .await;
    }

    out.flush().map_err(|e| io_err(e, &target))?;
    let file = out
        .into_inner()
        .map_err(|e| io_err(e.into_error(), &target))?;
    file.sync_all().map_err(|e| io_err(e, &target))?;
    if let Some(expected) = total {
        if expected != written {
            return Err(WaitError::Api(download_error(
                format!("downloaded {written} bytes but Content-Length said {expected}"),
                &target,
            )));
        }
    }
    // Windows cannot rename an open file; on Linux it stays open (locked) below.
    #[cfg(not(target_os = "linux"))]
    drop(file);
    std::fs::rename(&temp.path, &target).map_err(|e| {
        WaitError::Api(download_error(
            format!("cannot move the download into place: {e}"),
            &target,
        ))
    })?;
    temp.keep = true;
    // Closed (unlocked) only once renamed: no other download can take the file over.
    #[cfg(target_os = "linux")]
    drop(file);
    report.bytes = written;
    on_progress(written, total.or(Some(written))).map_err(WaitError::Callback)?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_name_is_per_target_and_job() {
        let target = Path::new("/out/a.mp4");
        let one = temp_path_for(target, "/export/status/run_1");
        assert_eq!(one, temp_path_for(target, "/export/status/run_1"));
        assert_ne!(one, temp_path_for(target, "/export/status/run_2"));
        let name = one.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with(".a.mp4.") && name.ends_with(".part"),
            "{name}"
        );
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_killed_download_is_found_and_a_held_one_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("v.mp4");
        // What a killed process left: the job's file, plus an older per-process name.
        std::fs::write(temp_path_for(&target, "/video/v1"), b"12345").unwrap();
        let stale = dir.path().join(".v.mp4.4242.0badf00d.part");
        std::fs::write(&stale, b"x").unwrap();
        let (temp, _file, len) = open_temp(&target, "/video/v1").unwrap();
        assert_eq!(
            (temp.path.clone(), len),
            (temp_path_for(&target, "/video/v1"), 5)
        );
        assert!(!stale.exists(), "an unlocked leftover is removed");
        // While it is held, a second download of the same job gets a private file.
        let (other, _other_file, other_len) = open_temp(&target, "/video/v1").unwrap();
        assert_ne!(other.path, temp.path);
        assert_eq!(other_len, 0);
        assert!(temp.path.exists(), "a held file is never removed");
    }

    #[test]
    fn parses_content_range() {
        assert_eq!(content_range("bytes 100-199/200"), Some((100, Some(200))));
        assert_eq!(content_range("bytes 5-9/*"), Some((5, None)));
        assert_eq!(content_range("items 1-2/3"), None);
    }
}
