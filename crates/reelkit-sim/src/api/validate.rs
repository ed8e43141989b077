//! Request validation shared by both simulated APIs: JSON type names, field lookup, and
//! the two problem collectors: Hoox's [`Details`] (`{"error": "Validation failed",
//! "details": [{code, message, field}]}`) and Hooked's Zod-style [`Issues`]
//! (`"<path>: <message>"`, `VALIDATION_ERROR`). Provider rules stay with their endpoints.

use crate::types::SimResponse;
use serde_json::{json, Map, Value};

use super::util::{is_http_url, num};

/// The JSON type name used in messages (`string`, `number`, ...).
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// A field that is present and not `null` (Hoox treats `null` as absent).
pub fn present<'a>(b: &'a Map<String, Value>, k: &str) -> Option<&'a Value> {
    b.get(k).filter(|v| !v.is_null())
}

// ---------------------------------------------------------------------------------------
// Hoox

/// One `details[]` entry of a Hoox error.
pub fn detail(code: &str, message: &str, field: Option<&str>) -> Value {
    let mut d = json!({"code": code, "message": message});
    if let Some(f) = field {
        d["field"] = json!(f);
    }
    d
}

/// Collects Hoox validation problems into `{"error": "Validation failed", "details": [...]}`.
#[derive(Default)]
pub struct Details {
    d: Vec<Value>,
}

impl Details {
    pub fn add(&mut self, code: &str, message: impl AsRef<str>, field: Option<&str>) {
        self.d.push(detail(code, message.as_ref(), field));
    }

    pub fn ok(&self) -> bool {
        self.d.is_empty()
    }

    pub fn into_response(self) -> SimResponse {
        SimResponse::json(
            400,
            &json!({"error": "Validation failed", "details": self.d}),
        )
    }

    /// An optional field read by `get`; `invalid_type` ("`k` must be `what`") when it fails.
    fn typed<'a, T>(
        &mut self,
        b: &'a Map<String, Value>,
        k: &str,
        what: &str,
        get: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Option<T> {
        let got = get(present(b, k)?);
        if got.is_none() {
            self.add("invalid_type", format!("{k} must be {what}"), Some(k));
        }
        got
    }

    pub fn str_opt(&mut self, b: &Map<String, Value>, k: &str) -> Option<String> {
        self.typed(b, k, "a string", |v| v.as_str().map(str::to_string))
    }

    pub fn num_opt(&mut self, b: &Map<String, Value>, k: &str) -> Option<f64> {
        self.typed(b, k, "a number", Value::as_f64)
    }

    pub fn bool_opt(&mut self, b: &Map<String, Value>, k: &str) -> Option<bool> {
        self.typed(b, k, "a boolean", Value::as_bool)
    }

    /// A required string: `missing_field` when absent or null, `invalid_type` otherwise.
    pub fn required_str<'a>(&mut self, b: &'a Map<String, Value>, k: &str) -> Option<&'a str> {
        if present(b, k).is_none() {
            self.add("missing_field", format!("{k} is required"), Some(k));
            return None;
        }
        self.typed(b, k, "a string", Value::as_str)
    }

    /// A required string that is not blank (`invalid_value`: "`k` cannot be empty").
    pub fn required_text(&mut self, b: &Map<String, Value>, k: &str) -> Option<String> {
        let s = self.required_str(b, k)?;
        if s.trim().is_empty() {
            self.add("invalid_value", format!("{k} cannot be empty"), Some(k));
            return None;
        }
        Some(s.to_string())
    }

    pub fn url_opt(&mut self, b: &Map<String, Value>, k: &str, code: &str) -> Option<String> {
        match present(b, k)?.as_str() {
            Some(s) if is_http_url(s) => Some(s.to_string()),
            _ => {
                self.add(code, format!("{k} must be a valid URL"), Some(k));
                None
            }
        }
    }

    /// An optional array of URL strings; bad items get `bad_url` at `k[i]`. `max` is the
    /// largest length allowed and the message (`invalid_value`) when it is exceeded.
    pub fn url_array(
        &mut self,
        b: &Map<String, Value>,
        k: &str,
        bad_url: &str,
        max: Option<(usize, &str)>,
    ) -> Vec<String> {
        let Some(v) = present(b, k) else {
            return vec![];
        };
        let Some(arr) = v.as_array() else {
            self.add("invalid_type", format!("{k} must be an array"), Some(k));
            return vec![];
        };
        if let Some((max, message)) = max {
            if arr.len() > max {
                self.add("invalid_value", message, Some(k));
            }
        }
        let mut out = Vec::with_capacity(arr.len());
        for (i, item) in arr.iter().enumerate() {
            let f = format!("{k}[{i}]");
            match item.as_str() {
                Some(s) if is_http_url(s) => out.push(s.to_string()),
                Some(_) => self.add(bad_url, format!("{f} must be a valid URL"), Some(&f)),
                None => self.add("invalid_type", format!("{f} must be a string"), Some(&f)),
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------
// Hooked

/// `prefix.key`, or `key` at the top level.
pub fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Zod's enum message: `Invalid enum value. Expected 'a' | 'b', received 'x'`.
pub fn enum_message(allowed: &[&str], got: &Value) -> String {
    let expected = allowed
        .iter()
        .map(|a| format!("'{a}'"))
        .collect::<Vec<_>>()
        .join(" | ");
    let got = match got {
        Value::String(s) => format!("'{s}'"),
        other => type_name(other).to_string(),
    };
    format!("Invalid enum value. Expected {expected}, received {got}")
}

/// The bounds of a Hooked number field.
#[derive(Clone, Copy)]
pub struct Num {
    min: f64,
    max: f64,
    int: bool,
    /// The custom "Number must be between" message instead of Zod's min/max ones.
    between: bool,
}

impl Num {
    /// Any number.
    pub const ANY: Num = Num::range(f64::MIN, f64::MAX);

    pub const fn range(min: f64, max: f64) -> Num {
        Num {
            min,
            max,
            int: false,
            between: false,
        }
    }

    pub const fn int(self) -> Num {
        Num { int: true, ..self }
    }

    pub const fn between(self) -> Num {
        Num {
            between: true,
            ..self
        }
    }
}

/// Collects Hooked (Zod-style) issues: `path: message`, 400 `VALIDATION_ERROR`, `details`
/// mapping each path to its first message.
#[derive(Default)]
pub struct Issues {
    issues: Vec<(String, String)>,
}

impl Issues {
    pub fn issue(&mut self, path: &str, msg: impl Into<String>) {
        self.issues.push((path.to_string(), msg.into()));
    }

    pub fn ok(&self) -> bool {
        self.issues.is_empty()
    }

    pub fn into_response(self) -> SimResponse {
        let message = self
            .issues
            .iter()
            .map(|(p, m)| {
                if p.is_empty() {
                    m.clone()
                } else {
                    format!("{p}: {m}")
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let mut details = Map::new();
        for (p, m) in self.issues {
            details.entry(p).or_insert(Value::String(m));
        }
        SimResponse::json(
            400,
            &json!({"success": false, "message": message, "code": "VALIDATION_ERROR", "details": details}),
        )
    }

    /// `Expected <what>, received <type of v>` at `path`.
    pub fn wrong_type(&mut self, path: &str, what: &str, v: &Value) {
        self.issue(path, format!("Expected {what}, received {}", type_name(v)));
    }

    /// The first step of every field rule: the value and its path, or `None` for an absent
    /// key (with `Required` when `required`).
    fn lookup<'a>(
        &mut self,
        o: &'a Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
    ) -> Option<(&'a Value, String)> {
        let path = join(prefix, key);
        match o.get(key) {
            Some(v) => Some((v, path)),
            None => {
                if required {
                    self.issue(&path, "Required");
                }
                None
            }
        }
    }

    /// A field of one JSON type, read by `get`; `Expected <what>` when it does not fit.
    fn typed<'a, T>(
        &mut self,
        o: &'a Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        what: &str,
        get: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Option<(T, String)> {
        let (v, path) = self.lookup(o, prefix, key, required)?;
        match get(v) {
            Some(x) => Some((x, path)),
            None => {
                self.wrong_type(&path, what, v);
                None
            }
        }
    }

    /// An array item that must be an object.
    pub fn item_object<'a>(&mut self, path: &str, v: &'a Value) -> Option<&'a Map<String, Value>> {
        let o = v.as_object();
        if o.is_none() {
            self.wrong_type(path, "object", v);
        }
        o
    }

    /// A string of `min..=max` characters. An optional string may be `null`.
    pub fn string(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        min: usize,
        max: usize,
    ) -> Option<String> {
        let (v, path) = self.lookup(o, prefix, key, required)?;
        let Value::String(s) = v else {
            if required || !v.is_null() {
                self.wrong_type(&path, "string", v);
            }
            return None;
        };
        let n = s.chars().count();
        if n < min {
            self.issue(
                &path,
                format!("String must contain at least {min} character(s)"),
            );
            None
        } else if n > max {
            self.issue(
                &path,
                format!("String must contain at most {max} character(s)"),
            );
            None
        } else {
            Some(s.clone())
        }
    }

    pub fn exact_len(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        len: usize,
    ) -> Option<String> {
        let s = self.string(o, prefix, key, required, 0, usize::MAX)?;
        if s.chars().count() != len {
            self.issue(
                &join(prefix, key),
                format!("String must contain exactly {len} character(s)"),
            );
            return None;
        }
        Some(s)
    }

    pub fn enumv(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        allowed: &[&str],
    ) -> Option<String> {
        let (v, path) = self.lookup(o, prefix, key, required)?;
        match v {
            Value::String(s) if allowed.contains(&s.as_str()) => Some(s.clone()),
            v => {
                self.issue(&path, enum_message(allowed, v));
                None
            }
        }
    }

    pub fn boolean(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
    ) -> Option<bool> {
        self.typed(o, prefix, key, required, "boolean", Value::as_bool)
            .map(|(b, _)| b)
    }

    pub fn number(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        n: Num,
    ) -> Option<f64> {
        let (x, path) = self.typed(o, prefix, key, required, "number", |v| match v {
            Value::Number(n) => Some(n.as_f64().unwrap_or(0.0)),
            _ => None,
        })?;
        let problem = if n.int && x.fract() != 0.0 {
            "Expected integer, received float".to_string()
        } else if n.between && !(n.min..=n.max).contains(&x) {
            format!("Number must be between {} and {}", num(n.min), num(n.max))
        } else if x < n.min {
            format!("Number must be greater than or equal to {}", num(n.min))
        } else if x > n.max {
            format!("Number must be less than or equal to {}", num(n.max))
        } else {
            return Some(x);
        };
        self.issue(&path, problem);
        None
    }

    pub fn object<'a>(
        &mut self,
        o: &'a Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
    ) -> Option<&'a Map<String, Value>> {
        self.typed(o, prefix, key, required, "object", Value::as_object)
            .map(|(m, _)| m)
    }

    /// An array of `min..=max` items (a wrong length is an issue, the items still come back).
    pub fn array<'a>(
        &mut self,
        o: &'a Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        min: usize,
        max: usize,
    ) -> Option<&'a Vec<Value>> {
        let (a, path) = self.typed(o, prefix, key, required, "array", Value::as_array)?;
        if a.len() < min {
            self.issue(
                &path,
                format!("Array must contain at least {min} element(s)"),
            );
        } else if a.len() > max {
            self.issue(
                &path,
                format!("Array must contain at most {max} element(s)"),
            );
        }
        Some(a)
    }

    /// An array of media ids: non-empty strings, or objects with a string `id`.
    pub fn id_list(
        &mut self,
        o: &Map<String, Value>,
        prefix: &str,
        key: &str,
        required: bool,
        max: usize,
    ) -> Vec<String> {
        let Some(a) = self.array(o, prefix, key, required, usize::from(required), max) else {
            return vec![];
        };
        let mut out = vec![];
        for (i, item) in a.iter().enumerate() {
            let path = format!("{}.{i}", join(prefix, key));
            match item {
                Value::String(s) if !s.is_empty() => out.push(s.clone()),
                Value::String(_) => {
                    self.issue(&path, "String must contain at least 1 character(s)")
                }
                Value::Object(m) if m.get("id").is_some_and(Value::is_string) => {
                    out.push(m["id"].as_str().unwrap_or_default().to_string())
                }
                v => self.wrong_type(&path, "string", v),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn hooked_rules_share_one_required_step() {
        let b = body(json!({"s": 1, "n": "x", "o": [], "a": {}, "e": null, "z": null}));
        let mut z = Issues::default();
        assert_eq!(z.string(&b, "", "missing", true, 1, 9), None);
        assert_eq!(z.string(&b, "", "s", false, 1, 9), None);
        assert_eq!(z.string(&b, "", "z", false, 1, 9), None); // optional null: accepted
        assert_eq!(z.number(&b, "p", "n", false, Num::ANY), None);
        assert_eq!(z.object(&b, "", "o", false), None);
        assert_eq!(z.array(&b, "", "a", false, 0, 9), None);
        assert_eq!(z.enumv(&b, "", "e", false, &["x", "y"]), None);
        assert_eq!(z.boolean(&b, "", "absent", false), None);
        let got: Vec<(String, String)> = z.issues.clone();
        let want = [
            ("missing", "Required"),
            ("s", "Expected string, received number"),
            ("p.n", "Expected number, received string"),
            ("o", "Expected object, received array"),
            ("a", "Expected array, received object"),
            ("e", "Invalid enum value. Expected 'x' | 'y', received null"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(p, m)| (p.to_string(), m.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn hooked_number_bounds() {
        let b = body(json!({"f": 1.5, "lo": 0, "hi": 11, "ok": 5}));
        let mut z = Issues::default();
        assert_eq!(
            z.number(&b, "", "f", true, Num::range(0.0, 9.0).int()),
            None
        );
        assert_eq!(
            z.number(&b, "", "lo", true, Num::range(1.0, 10.0).between()),
            None
        );
        assert_eq!(z.number(&b, "", "hi", true, Num::range(1.0, 10.0)), None);
        assert_eq!(
            z.number(&b, "", "ok", true, Num::range(1.0, 10.0)),
            Some(5.0)
        );
        let msgs: Vec<&str> = z.issues.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            msgs,
            [
                "Expected integer, received float",
                "Number must be between 1 and 10",
                "Number must be less than or equal to 10",
            ]
        );
    }

    #[test]
    fn hoox_required_and_url_rules() {
        let b = body(json!({"p": "  ", "n": 3, "u": ["https://e.com", "nope", 4, "x"]}));
        let mut v = Details::default();
        assert_eq!(v.required_text(&b, "absent"), None);
        assert_eq!(v.required_text(&b, "p"), None);
        assert_eq!(v.required_str(&b, "n"), None);
        let urls = v.url_array(&b, "u", "bad_url", Some((3, "too many")));
        assert_eq!(urls, ["https://e.com"]);
        let codes: Vec<(&str, &str)> =
            v.d.iter()
                .map(|d| (d["code"].as_str().unwrap(), d["field"].as_str().unwrap()))
                .collect();
        assert_eq!(
            codes,
            [
                ("missing_field", "absent"),
                ("invalid_value", "p"),
                ("invalid_type", "n"),
                ("invalid_value", "u"),
                ("bad_url", "u[1]"),
                ("invalid_type", "u[2]"),
                ("bad_url", "u[3]"),
            ]
        );
    }
}
