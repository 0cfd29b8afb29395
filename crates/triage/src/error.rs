//! Triage errors.

/// Why an intake cannot be graded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TriageError {
    /// A value is outside what is physically possible; the form must be corrected.
    #[error("{field}: {value} is not possible ({allowed})")]
    Impossible {
        /// The field, as named in the intake JSON (`vitals.heart_rate`).
        field: &'static str,
        /// The value given.
        value: f64,
        /// The range allowed.
        allowed: &'static str,
    },
    /// A value that is not a number has the wrong form (a date, a choice, a length).
    #[error("{field}: expected {allowed}")]
    Invalid {
        /// The field, as named in the intake JSON.
        field: &'static str,
        /// What is accepted.
        allowed: &'static str,
    },
    /// A time lies in the future (beyond a few minutes of clock drift): an arrival not yet
    /// happened is a typing error, and would put the patient off the re-triage clock.
    #[error("{field}: a time in the future")]
    Future {
        /// The field, as named in the intake JSON.
        field: &'static str,
    },
    /// The intake is not valid JSON of the expected shape.
    #[error("invalid intake: {0}")]
    Malformed(String),
}

impl TriageError {
    /// A stable, machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            TriageError::Impossible { .. } => "impossible_value",
            TriageError::Invalid { .. } => "invalid_value",
            TriageError::Future { .. } => "future_time",
            TriageError::Malformed(_) => "invalid_intake",
        }
    }

    /// The field at fault, when there is one.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            TriageError::Impossible { field, .. }
            | TriageError::Invalid { field, .. }
            | TriageError::Future { field } => Some(field),
            TriageError::Malformed(_) => None,
        }
    }
}

/// The crate's result type.
pub type Result<T, E = TriageError> = std::result::Result<T, E>;
