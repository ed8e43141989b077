//! Filling response dataclasses natively: the field loop of `Model.from_raw`
//! (python/reelkit/_models/_base.py) for a whole list at once. Once the body is
//! decoded, building the models of a large list (`avatars.list`, 5,000 looks) was
//! most of the remaining time; this does the same work without a Python-level loop.

use crate::py::json::GcPause;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple, PyType};

/// The field loop of `cls.from_raw(item)` for each item: each instance is made
/// with `object.__new__(cls)` and its `__dict__` gets `names[i] = item.get(wires[i])`
/// and `raw = item`; an item that is not a dict counts as `{}`. Converters and the
/// required-field check are left to `Model.list_from_raw`, in Python.
/// Lists at least this long are built with Python's cyclic GC paused.
const PAUSE_GC_ABOVE: usize = 256;

#[pyfunction]
pub fn fill_models<'py>(
    cls: &Bound<'py, PyType>,
    names: &Bound<'py, PyTuple>,
    wires: &Bound<'py, PyTuple>,
    items: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyList>> {
    let py = cls.py();
    if names.len() != wires.len() {
        return Err(pyo3::exceptions::PyValueError::new_err(
            "names and wires differ in length",
        ));
    }
    let fields: Vec<(Bound<'py, PyString>, Bound<'py, PyAny>)> = names
        .iter()
        .zip(wires.iter())
        .map(|(name, wire)| Ok((name.cast_into::<PyString>()?, wire)))
        .collect::<PyResult<_>>()?;
    let new = py
        .get_type::<pyo3::types::PyAny>()
        .getattr(pyo3::intern!(py, "__new__"))?;
    let dict_attr = pyo3::intern!(py, "__dict__");
    let raw_key = pyo3::intern!(py, "raw");
    // As in `json::loads`: the new objects form no cycles and no Python code runs
    // while they are built, so a collection every few hundred would be wasted work.
    let _gc = (items.len().unwrap_or(0) >= PAUSE_GC_ABOVE).then(|| GcPause::new(py));
    let out = PyList::empty(py);
    for item in items.try_iter()? {
        let item = item?;
        let raw = match item.cast_into::<PyDict>() {
            Ok(dict) => dict,
            Err(_) => PyDict::new(py),
        };
        let obj = new.call1((cls,))?;
        let values = obj.getattr(dict_attr)?.cast_into::<PyDict>()?;
        for (name, wire) in &fields {
            let value = raw.get_item(wire)?;
            values.set_item(name, value.unwrap_or_else(|| py.None().into_bound(py)))?;
        }
        values.set_item(raw_key, &raw)?;
        out.append(obj)?;
    }
    Ok(out)
}
