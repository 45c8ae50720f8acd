//! Whether a practitioner is offered the MHTR referral at all. The service is for women aged 18
//! and over (a community sentence requirement); it accepts whoever identifies as a woman, so
//! only a recorded male gender identity (or, with none recorded, male sex) keeps it off the page.
//! The MHTR team checks the rest at intake.

use crate::domain::person::ADULT_AGE;

pub const NOT_FOR_UNDER_18S: &str = "The MHTR service is for women aged 18 and over: not offered for under-18s.";
pub const NOT_FOR_MEN: &str = "The MHTR service is for women: not offered while the person's recorded gender is male. Correct the record if she identifies as a woman.";

/// `Err` with the reason to show in place of the referral when it is not offered.
pub fn offered(age: u32, sex: Option<&str>, gender_identity: Option<&str>) -> Result<(), &'static str> {
    if age < ADULT_AGE {
        return Err(NOT_FOR_UNDER_18S);
    }
    let male = match gender_identity.filter(|g| !matches!(*g, "X" | "Z")) {
        Some(identity) => identity == "1",
        None => sex == Some("M"),
    };
    if male { Err(NOT_FOR_MEN) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_boy_of_seventeen_is_not_offered_and_a_woman_is() {
        assert_eq!(offered(17, Some("M"), Some("1")), Err(NOT_FOR_UNDER_18S));
        assert_eq!(offered(17, Some("F"), Some("2")), Err(NOT_FOR_UNDER_18S));
        assert_eq!(offered(30, Some("M"), Some("1")), Err(NOT_FOR_MEN));
        assert_eq!(offered(30, Some("M"), None), Err(NOT_FOR_MEN));
        assert_eq!(offered(30, Some("F"), None), Ok(()));
        assert_eq!(offered(30, None, None), Ok(()), "nothing recorded: ask her");
        assert_eq!(offered(30, Some("M"), Some("2")), Ok(()), "a trans woman");
        assert_eq!(
            offered(30, Some("M"), Some("Z")),
            Err(NOT_FOR_MEN),
            "not stated falls back to sex"
        );
        assert_eq!(offered(18, Some("F"), Some("3")), Ok(()));
    }
}
