//! Reports to a court or probation, for any subject: a report kind names its sections; a
//! draft is edited, signed off by a senior or the consultant clinical psychologist, then
//! frozen; later changes are addenda with their own sign-off. Used by the MHTR suitability
//! report now and by L&D court reports later.
