//! Hoox error shapes (hoox.md §1.4) and the request-body parse every POST starts with.

use super::super::util::fmt_num;
use super::super::validate::detail;
use crate::types::{SimRequest, SimResponse};
use serde_json::{json, Map, Value};

/// Shape 1 with one detail.
pub(super) fn err1(
    status: u16,
    error: &str,
    code: &str,
    message: &str,
    field: Option<&str>,
) -> SimResponse {
    SimResponse::json(
        status,
        &json!({"error": error, "details": [detail(code, message, field)]}),
    )
}

/// Shape 2 (flat).
pub(super) fn flat(status: u16, error: &str, code: &str) -> SimResponse {
    SimResponse::json(status, &json!({"error": error, "code": code}))
}

/// Both forms, for routes whose error shape is undocumented.
pub(super) fn combo(status: u16, error: &str, code: &str, field: Option<&str>) -> SimResponse {
    SimResponse::json(
        status,
        &json!({"error": error, "code": code, "details": [detail(code, error, field)]}),
    )
}

/// 402, flat: `Insufficient credits. Required: X, Available: Y`.
pub(super) fn insufficient(required: f64, available: f64, code: &str) -> SimResponse {
    flat(
        402,
        &format!(
            "Insufficient credits. Required: {}, Available: {}",
            fmt_num(required),
            fmt_num(available.max(0.0))
        ),
        code,
    )
}

/// The JSON object body of a POST (an empty body is an empty object).
pub(super) fn body(req: &SimRequest) -> Result<Map<String, Value>, SimResponse> {
    match req.json() {
        Ok(None) => Ok(Map::new()),
        Ok(Some(Value::Object(m))) => Ok(m),
        Ok(Some(_)) => Err(err1(
            400,
            "Validation failed",
            "invalid_type",
            "Request body must be a JSON object",
            None,
        )),
        Err(e) => Err(err1(
            400,
            "Invalid JSON in request body",
            "invalid_json",
            &e.to_string(),
            None,
        )),
    }
}
