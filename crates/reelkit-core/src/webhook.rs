//! Webhook payload parsing for both providers. Neither provider signs its webhooks
//! (no secret or signature exists in any source), so parsing is strict about shape
//! and the receiver should confirm by re-fetching the job.

use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

fn bad(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Webhook, message)
}

/// Parse raw bytes as a JSON object.
pub fn parse_json(body: &[u8]) -> Result<Value> {
    let text = std::str::from_utf8(body).map_err(|_| bad("webhook body is not valid UTF-8"))?;
    let value: Value = serde_json::from_str(text)
        .map_err(|e| bad(format!("webhook body is not valid JSON: {e}")))?;
    if !value.is_object() {
        return Err(bad("webhook body must be a JSON object"));
    }
    Ok(value)
}

fn opt_str(obj: &Map<String, Value>, key: &str) -> Result<Value> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(Value::String(s)) => Ok(Value::String(s.clone())),
        Some(other) => Err(bad(format!(
            "webhook field {key:?} must be a string, got {other}"
        ))),
    }
}

fn opt_obj(obj: &Map<String, Value>, key: &str) -> Result<Value> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Value::Null),
        Some(v @ Value::Object(_)) => Ok(v.clone()),
        Some(other) => Err(bad(format!(
            "webhook field {key:?} must be an object, got {other}"
        ))),
    }
}

/// Hoox: `{task?, job_id?, avatar_id?, look_id?, asset_id?, status, result?, error?}`.
/// Returns the normalised fields (missing ones as null).
pub fn parse_hoox(value: &Value) -> Result<Value> {
    let obj = value
        .as_object()
        .ok_or_else(|| bad("webhook body must be a JSON object"))?;
    let status = opt_str(obj, "status")?;
    if status.is_null() {
        return Err(bad("Hoox webhook has no \"status\""));
    }
    let mut out = Map::new();
    for key in ["task", "job_id", "avatar_id", "look_id", "asset_id"] {
        out.insert(key.into(), opt_str(obj, key)?);
    }
    if ["job_id", "look_id", "asset_id"]
        .iter()
        .all(|k| out[*k].is_null())
    {
        return Err(bad(
            "Hoox webhook carries no job_id, look_id or asset_id, so it cannot be matched to a job",
        ));
    }
    out.insert("status".into(), status);
    out.insert("result".into(), opt_obj(obj, "result")?);
    out.insert("error".into(), opt_obj(obj, "error")?);
    Ok(Value::Object(out))
}

/// Hooked: `{event, projectId, status, video?, message?, metadata?, createdAt, completedAt?}`.
pub fn parse_hooked(value: &Value) -> Result<Value> {
    let obj = value
        .as_object()
        .ok_or_else(|| bad("webhook body must be a JSON object"))?;
    let event = opt_str(obj, "event")?;
    let mut status = opt_str(obj, "status")?;
    if event.is_null() && status.is_null() {
        return Err(bad("Hooked webhook has neither \"event\" nor \"status\""));
    }
    if status.is_null() {
        // `project.completed` -> `completed`
        if let Some(e) = event.as_str() {
            status = Value::String(e.rsplit('.').next().unwrap_or(e).to_string());
        }
    }
    let video = opt_obj(obj, "video")?;
    let project_id = opt_str(obj, "projectId")?;
    let video_id = match video.get("id") {
        Some(Value::String(s)) => Value::String(s.clone()),
        _ => opt_str(obj, "videoId")?,
    };
    if project_id.is_null() && video_id.is_null() {
        return Err(bad(
            "Hooked webhook carries neither projectId nor a video id",
        ));
    }
    let mut out = Map::new();
    out.insert("event".into(), event);
    out.insert("project_id".into(), project_id);
    out.insert("video_id".into(), video_id);
    out.insert("status".into(), status);
    out.insert("video".into(), video);
    out.insert("message".into(), opt_str(obj, "message")?);
    out.insert("metadata".into(), opt_obj(obj, "metadata")?);
    out.insert("created_at".into(), opt_str(obj, "createdAt")?);
    out.insert("completed_at".into(), opt_str(obj, "completedAt")?);
    Ok(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hoox_shapes() {
        let with_task = json!({"task": "video_generate", "job_id": "run_1", "status": "completed",
            "result": {"video_id": "v"}});
        assert_eq!(parse_hoox(&with_task).unwrap()["task"], "video_generate");
        let avatar = json!({"job_id": "look_edit_789", "status": "failed",
            "error": {"code": "GENERATION_FAILED", "message": "Edit failed"}});
        let parsed = parse_hoox(&avatar).unwrap();
        assert!(parsed["task"].is_null());
        assert_eq!(parsed["job_id"], "look_edit_789");
        let asset = json!({"task": "asset_generation", "asset_id": "a", "status": "completed"});
        assert_eq!(parse_hoox(&asset).unwrap()["asset_id"], "a");
        assert!(parse_hoox(&json!({"status": "completed"})).is_err());
        assert!(parse_hoox(&json!({"job_id": "x"})).is_err());
        assert!(parse_hoox(&json!({"job_id": 3, "status": "completed"})).is_err());
        assert!(parse_json(b"[1]").is_err());
        assert!(parse_json(b"{not json").is_err());
        assert!(parse_json(&[0xff, 0xfe]).is_err());
    }

    #[test]
    fn hooked_shapes() {
        let done = json!({"event": "project.completed", "projectId": "proj_abc123", "status": "completed",
            "video": {"id": "video_xyz789", "url": "u"}, "createdAt": "2024-01-15T10:30:00Z"});
        let p = parse_hooked(&done).unwrap();
        assert_eq!(p["video_id"], "video_xyz789");
        let failed = json!({"event": "project.failed", "projectId": "p", "message": "m"});
        assert_eq!(parse_hooked(&failed).unwrap()["status"], "failed");
        assert!(parse_hooked(&json!({"projectId": "p"})).is_err());
        assert!(parse_hooked(
            &json!({"event": "project.completed", "video": "x", "projectId": "p"})
        )
        .is_err());
    }
}
