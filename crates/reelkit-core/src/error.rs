//! The one error type of the core. Every failure carries what a user needs to find
//! out what happened (and what they paid for): HTTP status, the server's code and
//! message, the request id, the method and path, how many attempts were made, and
//! whether a credit-spending request may have been acted on.

use serde_json::Value;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The server answered with a non-success status (or a Hooked `success: false`).
    Status,
    /// The connection could not be made or broke before a full response arrived.
    Connection,
    /// Connecting or a read took longer than the timeout.
    Timeout,
    /// A response arrived but is not what the API documents (bad JSON, wrong shape).
    Response,
    /// The client was configured wrongly (bad base URL, insecure HTTP, ...).
    Config,
    /// A webhook payload that cannot be parsed.
    Webhook,
    /// A download failed for a reason that is not an API status (size mismatch, disk).
    Download,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Status => "status",
            ErrorKind::Connection => "connection",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Response => "response",
            ErrorKind::Config => "config",
            ErrorKind::Webhook => "webhook",
            ErrorKind::Download => "download",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Error {
    pub kind: ErrorKind,
    /// Human-readable message (the server's message for status errors).
    pub message: String,
    pub method: Option<String>,
    /// Path relative to the base URL, e.g. `/video/duplicate`.
    pub path: Option<String>,
    pub status: Option<u16>,
    /// The server's error code, upper-cased (Hoox mixes `missing_field` and `MISSING_FIELD`).
    pub code: Option<String>,
    pub details: Option<Value>,
    /// The parsed JSON body, or the text body as a JSON string.
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
    pub request_id: Option<String>,
    /// Seconds the server asked us to wait (Retry-After / X-RateLimit-Reset).
    pub retry_after: Option<f64>,
    /// How many times the request was sent (1 = no retry).
    pub attempts: u32,
    /// True when a non-idempotent request reached the server and the outcome is
    /// unknown: the job may exist and may have spent credits.
    pub may_have_acted: bool,
}

impl Error {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            method: None,
            path: None,
            status: None,
            code: None,
            details: None,
            body: None,
            headers: Vec::new(),
            request_id: None,
            retry_after: None,
            attempts: 0,
            may_have_acted: false,
        }
    }

    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    pub fn with_request(mut self, method: &str, path: &str) -> Self {
        self.method = Some(method.to_string());
        self.path = Some(path.to_string());
        self
    }

    /// Whether waiting and asking again may succeed (used by `wait` to ride out blips).
    pub fn is_transient(&self) -> bool {
        match self.kind {
            ErrorKind::Connection | ErrorKind::Timeout => true,
            ErrorKind::Status => matches!(self.status, Some(408) | Some(429) | Some(500..=599)),
            _ => false,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(status) = self.status {
            write!(f, "HTTP {status}")?;
            if let Some(code) = &self.code {
                write!(f, " {code}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)?;
        if let (Some(m), Some(p)) = (&self.method, &self.path) {
            write!(f, " ({m} {p}")?;
            if let Some(id) = &self.request_id {
                write!(f, ", request id {id}")?;
            }
            write!(f, ")")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
