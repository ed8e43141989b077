//! API response bodies straight from JSON bytes to Python objects.
//!
//! The older path parsed into a `serde_json::Value` (an `IndexMap` per object),
//! cloned it, then walked it again with `pythonize`: three allocation-heavy passes
//! for every response. Here serde drives a visitor that builds the `dict`/`list`/
//! `str` objects directly while parsing, and object keys (and short string values)
//! are interned per body: a 5,000-item list repeats the same twenty keys and many
//! of the same enum-like values.
//! Errors match `Transport::decode` exactly: the same invalid-JSON error, and the
//! same unwrapping of Hooked's `{"success": ..., "data": ...}` envelope.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyList, PyString};
use reelkit_core::error::Error;
use reelkit_core::provider::Provider;
use reelkit_core::transport::{is_blank, ApiRequest, ApiResponse, Transport};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};

/// Object keys up to this long are interned (longer ones are data, e.g. ids as keys).
const MAX_INTERNED_KEY: usize = 64;
/// At most this many distinct keys are interned per body.
const MAX_INTERNED_KEYS: usize = 1024;
/// Short string values (statuses, enum-like attributes, model names) repeat across
/// the items of a list; those up to this long are shared too...
const MAX_INTERNED_VALUE: usize = 24;
/// ...at most this many distinct ones per body.
const MAX_INTERNED_VALUES: usize = 4096;

/// Bodies at least this large are built with Python's cyclic GC paused (see `loads`).
const PAUSE_GC_ABOVE: usize = 64 * 1024;

/// FxHash (rustc's): the key cache hashes short ASCII keys, where SipHash's
/// DoS resistance buys nothing (the cache is per body and capped) and costs time.
#[derive(Default)]
struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let word = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
            self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Python `str` objects shared within one body, keyed by their text.
struct Interner<'py> {
    map: HashMap<Box<str>, Bound<'py, PyString>, BuildHasherDefault<FxHasher>>,
    max_len: usize,
    max_entries: usize,
}

impl<'py> Interner<'py> {
    fn new(max_len: usize, max_entries: usize) -> Self {
        Interner {
            map: HashMap::default(),
            max_len,
            max_entries,
        }
    }

    fn get(&mut self, py: Python<'py>, text: &str) -> Bound<'py, PyString> {
        if text.len() > self.max_len {
            return PyString::new(py, text);
        }
        if let Some(s) = self.map.get(text) {
            return s.clone();
        }
        let s = PyString::new(py, text);
        if self.map.len() < self.max_entries {
            self.map.insert(text.into(), s.clone());
        }
        s
    }
}

struct Strings<'py> {
    keys: Interner<'py>,
    values: Interner<'py>,
}

/// Pauses CPython's cyclic GC while a large body is turned into objects: the new
/// dicts and lists form a tree (no cycles) and no Python code runs meanwhile, yet
/// each allocation batch would trigger a collection that traverses them all again.
/// The collector resumes (if it was enabled) when the guard drops.
pub(crate) struct GcPause(bool);

impl GcPause {
    pub(crate) fn new(_py: Python<'_>) -> Self {
        // SAFETY: the GIL is held (`_py`); PyGC_Disable only flips the collector's flag.
        GcPause(unsafe { pyo3::ffi::PyGC_Disable() } != 0)
    }
}

impl Drop for GcPause {
    fn drop(&mut self) {
        if self.0 {
            // SAFETY: dropped inside `loads`, while the GIL is still held.
            unsafe { pyo3::ffi::PyGC_Enable() };
        }
    }
}

#[derive(Clone, Copy)]
struct PySeed<'a, 'py> {
    py: Python<'py>,
    strings: &'a RefCell<Strings<'py>>,
}

fn py_err<E: de::Error>(e: PyErr) -> E {
    E::custom(e.to_string())
}

impl<'de, 'py> DeserializeSeed<'de> for PySeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, 'py> Visitor<'de> for PySeed<'_, 'py> {
    type Value = Bound<'py, PyAny>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(PyBool::new(self.py, v).to_owned().into_any())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        let Ok(int) = v.into_pyobject(self.py);
        Ok(int.into_any())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        let Ok(int) = v.into_pyobject(self.py);
        Ok(int.into_any())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(PyFloat::new(self.py, v).into_any())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(self.strings.borrow_mut().values.get(self.py, v).into_any())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(self.py.None().into_bound(self.py))
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        PyList::new(self.py, items)
            .map(Bound::into_any)
            .map_err(py_err)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let dict = PyDict::new(self.py);
        while let Some(key) = map.next_key_seed(KeySeed(self))? {
            let value = map.next_value_seed(self)?;
            dict.set_item(key, value).map_err(py_err)?;
        }
        Ok(dict.into_any())
    }
}

/// An object key, interned for the duration of one body.
struct KeySeed<'a, 'py>(PySeed<'a, 'py>);

impl<'de, 'py> DeserializeSeed<'de> for KeySeed<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, 'py> Visitor<'de> for KeySeed<'_, 'py> {
    type Value = Bound<'py, PyString>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        let PySeed { py, strings } = self.0;
        Ok(strings.borrow_mut().keys.get(py, v))
    }
}

/// Parse JSON bytes into Python objects (`dict`, `list`, `str`, `int`, `float`,
/// `bool`, `None`). Numbers follow serde_json: integers beyond 64 bits become floats.
pub fn loads<'py>(py: Python<'py>, bytes: &[u8]) -> Result<Bound<'py, PyAny>, serde_json::Error> {
    let strings = RefCell::new(Strings {
        keys: Interner::new(MAX_INTERNED_KEY, MAX_INTERNED_KEYS),
        values: Interner::new(MAX_INTERNED_VALUE, MAX_INTERNED_VALUES),
    });
    let _gc = (bytes.len() >= PAUSE_GC_ABOVE).then(|| GcPause::new(py));
    let seed = PySeed {
        py,
        strings: &strings,
    };
    // One UTF-8 check of the whole body lets serde skip it string by string; a body
    // that is not UTF-8 takes the byte path, which reports where it breaks.
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let mut de = serde_json::Deserializer::from_str(text);
            let value = seed.deserialize(&mut de)?;
            de.end()?;
            Ok(value)
        }
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let value = seed.deserialize(&mut de)?;
            de.end()?;
            Ok(value)
        }
    }
}

/// A 2xx API response as Python objects, exactly as `Transport::decode` decodes it
/// (an empty body is `None`; Hooked's envelope is unwrapped or turned into an error).
// The flat core `Error` is the failure type everywhere (see core/mod.rs).
#[allow(clippy::result_large_err)]
pub fn decode<'py>(
    py: Python<'py>,
    transport: &Transport,
    req: &ApiRequest,
    resp: ApiResponse,
) -> Result<Bound<'py, PyAny>, Error> {
    if is_blank(&resp.body) {
        return Ok(py.None().into_bound(py));
    }
    let value = loads(py, &resp.body).map_err(|e| transport.invalid_json_error(req, &resp, &e))?;
    if transport.provider() != Provider::Hooked {
        return Ok(value);
    }
    // Mirrors `Provider::unwrap_success` on the Python objects.
    let Ok(dict) = value.cast::<PyDict>() else {
        return Ok(value);
    };
    let success = dict.get_item("success").ok().flatten();
    let Some(success) = success else {
        return Ok(value);
    };
    if success.is(PyBool::new(py, false)) {
        let body = serde_json::from_slice::<Value>(&resp.body).unwrap_or(Value::Null);
        let parsed = Provider::Hooked.parse_error_body(&body);
        return Err(transport.envelope_error(req, resp, parsed));
    }
    if let Ok(Some(data)) = dict.get_item("data") {
        let _ = dict.del_item("data");
        if !data.is_none() {
            return Ok(data);
        }
    }
    let _ = dict.del_item("success");
    Ok(value)
}

/// `_native.json_loads(data)`: the decoder above, for tests (it must agree with
/// `json.loads`) and benchmarks. Raises `ValueError` on invalid JSON.
#[pyfunction]
pub fn json_loads<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    loads(py, data).map_err(|e| pyo3::exceptions::PyValueError::new_err(e.to_string()))
}
