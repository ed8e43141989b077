//! What differs between Hoox and Hooked on the wire: the default base URL, the auth
//! header, the error bodies (Hoox has three shapes, Hooked an envelope) and Hooked's
//! `{"success": true, "data": ...}` success envelope.

use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Provider {
    Hoox,
    Hooked,
}

/// The parts of an error body a user needs: message, code (upper-cased), details.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ErrorBody {
    pub message: Option<String>,
    pub code: Option<String>,
    pub details: Option<Value>,
}

impl Provider {
    pub fn parse(name: &str) -> Option<Provider> {
        match name.to_ascii_lowercase().as_str() {
            "hoox" => Some(Provider::Hoox),
            "hooked" => Some(Provider::Hooked),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Provider::Hoox => "Hoox",
            Provider::Hooked => "Hooked",
        }
    }

    pub fn default_base_url(self) -> &'static str {
        match self {
            Provider::Hoox => "https://app.hoox.video/api/public/v1",
            Provider::Hooked => "https://api.hooked.so/v1",
        }
    }

    /// The auth header (name, value) for an API key.
    pub fn auth_header(self, api_key: &str) -> (&'static str, String) {
        match self {
            Provider::Hoox => ("authorization", format!("Bearer {api_key}")),
            Provider::Hooked => ("x-api-key", api_key.to_string()),
        }
    }

    /// Interpret an error response body. Accepts every documented shape:
    /// Hoox `{"error": msg, "details": [{code, message, field}]}`, Hoox
    /// `{"error": msg, "code": CODE}`, Hooked `{"success": false, "message", "code",
    /// "details"}`, and `{"error": {"code", "message"}}`.
    pub fn parse_error_body(self, body: &Value) -> ErrorBody {
        let mut out = ErrorBody::default();
        let Some(obj) = body.as_object() else {
            return out;
        };
        match obj.get("error") {
            Some(Value::String(s)) => out.message = Some(s.clone()),
            Some(Value::Object(inner)) => {
                out.message = inner
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                out.code = inner
                    .get("code")
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
            _ => {}
        }
        if out.message.is_none() {
            out.message = obj
                .get("message")
                .and_then(Value::as_str)
                .map(str::to_string);
        }
        if out.code.is_none() {
            out.code = obj.get("code").and_then(Value::as_str).map(str::to_string);
        }
        if let Some(details) = obj.get("details").filter(|d| !d.is_null()) {
            out.details = Some(details.clone());
            if let Some(list) = details.as_array() {
                if out.code.is_none() {
                    out.code = list
                        .iter()
                        .find_map(|d| d.get("code").and_then(Value::as_str))
                        .map(str::to_string);
                }
                // Name every failing field in the message: "Validation failed" alone
                // does not tell the user what to fix.
                let parts: Vec<String> = list
                    .iter()
                    .filter_map(|d| {
                        let msg = d.get("message").and_then(Value::as_str)?;
                        Some(match d.get("field").and_then(Value::as_str) {
                            Some(field) if !msg.contains(field) => format!("{field}: {msg}"),
                            _ => msg.to_string(),
                        })
                    })
                    .filter(|p| Some(p) != out.message.as_ref())
                    .collect();
                if !parts.is_empty() {
                    out.message = Some(match out.message.take() {
                        Some(m) => format!("{m}: {}", parts.join("; ")),
                        None => parts.join("; "),
                    });
                }
            }
        }
        out.code = out.code.map(|c| c.to_ascii_uppercase());
        out
    }

    /// For a 2xx body, return the payload the caller wants, or the error the body
    /// reports. Hooked wraps payloads in `{"success": true, "data": ...}` (some
    /// endpoints, e.g. scenes, put fields beside `success` instead).
    pub fn unwrap_success(self, body: Value) -> Result<Value, ErrorBody> {
        if self != Provider::Hooked {
            return Ok(body);
        }
        let Value::Object(mut obj) = body else {
            return Ok(body);
        };
        if obj.get("success") == Some(&Value::Bool(false)) {
            return Err(self.parse_error_body(&Value::Object(obj)));
        }
        if obj.contains_key("success") {
            if let Some(data) = obj.shift_remove("data") {
                if !data.is_null() {
                    return Ok(data);
                }
            }
            obj.shift_remove("success");
        }
        Ok(Value::Object(obj))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hoox_validation_shape_names_fields() {
        let body = json!({"error": "Validation failed", "details": [
            {"code": "MISSING_FIELD", "message": "Duration is required when using prompt", "field": "duration"}]});
        let e = Provider::Hoox.parse_error_body(&body);
        assert_eq!(e.code.as_deref(), Some("MISSING_FIELD"));
        assert_eq!(
            e.message.as_deref(),
            Some("Validation failed: duration: Duration is required when using prompt")
        );
        assert!(e.details.unwrap().is_array());
    }

    #[test]
    fn hoox_flat_and_auth_shapes() {
        let flat = json!({"error": "Insufficient credits. Required: 15, Available: 8", "code": "insufficient_credits"});
        let e = Provider::Hoox.parse_error_body(&flat);
        assert_eq!(e.code.as_deref(), Some("INSUFFICIENT_CREDITS"));
        assert_eq!(
            e.message.as_deref(),
            Some("Insufficient credits. Required: 15, Available: 8")
        );
        let auth = json!({"error": "Invalid API key", "details": [{"code": "invalid_api_key", "message": "Invalid API key"}]});
        let e = Provider::Hoox.parse_error_body(&auth);
        assert_eq!(e.code.as_deref(), Some("INVALID_API_KEY"));
        assert_eq!(e.message.as_deref(), Some("Invalid API key"));
    }

    #[test]
    fn hooked_envelope() {
        let err =
            json!({"success": false, "message": "API key is required", "code": "MISSING_API_KEY"});
        let e = Provider::Hooked.parse_error_body(&err);
        assert_eq!(e.code.as_deref(), Some("MISSING_API_KEY"));
        assert_eq!(
            Provider::Hooked
                .unwrap_success(err)
                .unwrap_err()
                .message
                .as_deref(),
            Some("API key is required")
        );
        let ok = json!({"success": true, "message": "x", "data": {"id": "v"}});
        assert_eq!(
            Provider::Hooked.unwrap_success(ok).unwrap(),
            json!({"id": "v"})
        );
        let scenes = json!({"success": true, "projectId": "p", "message": "m"});
        assert_eq!(
            Provider::Hooked.unwrap_success(scenes).unwrap(),
            json!({"projectId": "p", "message": "m"})
        );
    }
}
