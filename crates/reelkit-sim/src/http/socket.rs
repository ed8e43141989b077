//! The socket side of fault injection: a `TcpStream` wrapper that hyper reads and
//! writes through, and the per-connection `ConnCtl` that response bodies use to
//! reset the connection or to wait until what they produced is on the wire.

use futures_util::task::AtomicWaker;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// Shared by one connection's `FaultIo` and the request handling on it (HTTP/1.1
/// serves one request at a time, so one waiter is enough).
#[derive(Default)]
pub(crate) struct ConnCtl {
    /// Set: refuse all I/O, and close with SO_LINGER=0 (a reset) when dropped.
    reset: AtomicBool,
    /// Set: arm `reset` once the next flush completes.
    reset_after_flush: AtomicBool,
    /// Completed flushes: hyper flushes only once its whole buffer is written, so a
    /// flush that completes after a body frame was handed over means it was sent.
    flushes: AtomicU64,
    flushed: AtomicWaker,
}

impl ConnCtl {
    /// Turn the connection into a reset: no more bytes in or out, RST on close.
    pub(crate) fn arm_reset(&self) {
        self.reset.store(true, Ordering::Release);
    }

    /// Reset the connection once what is buffered now has been written.
    pub(crate) fn arm_reset_after_flush(&self) {
        self.reset_after_flush.store(true, Ordering::Release);
    }

    fn is_reset(&self) -> bool {
        self.reset.load(Ordering::Acquire)
    }

    /// The current flush count, to pass to `poll_flushed_since`.
    pub(crate) fn flushes(&self) -> u64 {
        self.flushes.load(Ordering::Acquire)
    }

    /// Ready once a flush completed after `since` was read.
    pub(crate) fn poll_flushed_since(&self, since: u64, cx: &mut Context<'_>) -> Poll<()> {
        if self.flushes() > since {
            return Poll::Ready(());
        }
        self.flushed.register(cx.waker());
        if self.flushes() > since {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

/// The connection as hyper sees it.
pub(crate) struct FaultIo {
    stream: TcpStream,
    ctl: std::sync::Arc<ConnCtl>,
}

impl FaultIo {
    pub(crate) fn new(stream: TcpStream, ctl: std::sync::Arc<ConnCtl>) -> Self {
        FaultIo { stream, ctl }
    }
}

fn reset_error() -> io::Error {
    io::Error::new(io::ErrorKind::ConnectionReset, "fault: reset")
}

impl Drop for FaultIo {
    fn drop(&mut self) {
        if self.ctl.is_reset() {
            // Closing with linger 0 sends RST instead of FIN.
            let _ = self.stream.set_zero_linger();
        }
    }
}

impl AsyncRead for FaultIo {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.ctl.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for FaultIo {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.ctl.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.ctl.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.ctl.is_reset() {
            return Poll::Ready(Err(reset_error()));
        }
        let r = Pin::new(&mut this.stream).poll_flush(cx);
        if let Poll::Ready(Ok(())) = r {
            this.ctl.flushes.fetch_add(1, Ordering::AcqRel);
            if this.ctl.reset_after_flush.load(Ordering::Acquire) {
                this.ctl.arm_reset();
            }
            this.ctl.flushed.wake();
        }
        r
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.ctl.is_reset() {
            // No FIN before the reset: the drop sends RST.
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.stream).poll_shutdown(cx)
    }
}
