//! What kind of service a team is. Stored on the team and set in team administration; a
//! team's name never decides it.

crate::code_enum! {
    pub enum TeamKind ("team kind") {
        /// A Liaison and Diversion team working custody suites and courts.
        LiaisonDiversion = "ld",
        /// A Women's Mental Health Treatment Requirement team.
        Mhtr = "mhtr",
    }
}

impl TeamKind {
    pub fn label(self) -> &'static str {
        match self {
            TeamKind::LiaisonDiversion => "Liaison and Diversion",
            TeamKind::Mhtr => "Women's MHTR",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TeamKind;

    #[test]
    fn an_unknown_stored_kind_is_an_error_not_a_default() {
        assert_eq!("mhtr".parse(), Ok(TeamKind::Mhtr));
        assert_eq!("ld".parse(), Ok(TeamKind::LiaisonDiversion));
        assert!("MHTR".parse::<TeamKind>().is_err());
        assert!(TeamKind::try_from("court".to_string()).is_err());
    }
}
