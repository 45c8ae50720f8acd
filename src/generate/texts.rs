//! The words in synthetic records: concerns, offences, notes, GP practices. Written to read like
//! the real thing without describing anyone; every practice and reference is marked synthetic.

/// What custody or court staff said when they raised the concern.
#[rustfmt::skip]
pub const CONCERNS: &[&str] = &[
    "Custody sergeant reports low mood and poor sleep",
    "Disclosed thoughts of ending their life at booking in",
    "Appears confused and disorientated; FME has seen them",
    "Hearing voices; says they are known to the community mental health team",
    "Self-harm marks seen on arms at booking in",
    "Very anxious, pacing the cell and asking for family",
    "Says they have a learning disability and struggles to read the rights leaflet",
    "Smells of alcohol, shaking; reports drinking daily",
    "Reports heroin use; in withdrawal",
    "No fixed abode; sleeping rough for several months",
    "Tearful in the dock; describes years of depression",
    "Defence solicitor concerned about fitness to plead",
    "Probation flagged a domestic abuse disclosure",
    "Autistic; distressed by noise in the custody suite",
    "Army veteran; describes flashbacks and poor sleep",
    "Recently discharged from a mental health ward",
    "Not eating or drinking since arrest",
    "Paranoid about custody staff; refusing food",
    "Care leaver, no support since turning 18",
    "Pregnant and worried about her children",
    "Head injury last year; memory problems reported by family",
    "Speech difficult to follow; interpreter not needed but communication poor",
    "L&D check of the custody list: previous contacts with the service",
    "Escort staff report odd behaviour on the way to court",
];

/// Concerns raised about children (under-18s).
#[rustfmt::skip]
pub const YOUTH_CONCERNS: &[&str] = &[
    "Parent says he stopped attending school and rarely leaves his room",
    "YOT worker requested screening; known to CAMHS",
    "Very withdrawn; appropriate adult worried about self-harm",
    "Possible criminal exploitation; found with cash and two phones",
    "Struggling to understand the interview; possible learning difficulty",
    "Angry outbursts in the cell; ADHD diagnosis mentioned by parent",
    "Missing from care for three days before arrest",
];

#[rustfmt::skip]
pub const OFFENCES: &[&str] = &[
    "Theft from a shop", "Common assault", "Assault on an emergency worker", "Criminal damage",
    "Possession of a controlled drug", "Possession with intent to supply", "Public order offence",
    "Breach of a non-molestation order", "Burglary", "Robbery", "Drink driving",
    "Possession of an offensive weapon", "Harassment", "Breach of bail", "Fraud",
    "Actual bodily harm", "Malicious communications", "Vehicle theft", "Arson",
    "Failing to surrender",
];

#[rustfmt::skip]
pub const GP_PRACTICES: &[&str] = &[
    "Harlesden Road Medical Centre (synthetic)", "Kilburn Lane Surgery (synthetic)",
    "Church End Health Centre (synthetic)", "Neasden Park Practice (synthetic)",
    "Stonebridge Group Practice (synthetic)", "Kingsbury Green Surgery (synthetic)",
    "Willesden Junction Medical Practice (synthetic)", "Alperton Health Centre (synthetic)",
    "Sudbury Hill Surgery (synthetic)", "Wembley Central Practice (synthetic)",
    "Queens Park Family Doctors (synthetic)", "Dollis Hill Surgery (synthetic)",
];

/// (weight, language, usually needs an interpreter)
pub const LANGUAGES: &[(u32, (&str, bool))] = &[
    (880, ("English", false)),
    (20, ("Polish", true)),
    (20, ("Romanian", true)),
    (15, ("Somali", true)),
    (12, ("Arabic", true)),
    (12, ("Portuguese", true)),
    (10, ("Gujarati", true)),
    (8, ("Urdu", true)),
    (8, ("Tamil", true)),
    (5, ("Tigrinya", true)),
    (5, ("Lithuanian", true)),
    (5, ("British Sign Language", true)),
];

/// Practitioners' notes and contacts on the timeline.
#[rustfmt::skip]
pub const NOTES: &[&str] = &[
    "Spoke to the custody sergeant; will be seen after interview",
    "Rang the GP practice to confirm current medication",
    "Checked records: known to the community mental health team until last year",
    "Called the care coordinator; left a message",
    "Family member rang with background information",
    "Discussed with the senior practitioner",
    "FME reviewed; fit to detain and interview",
    "Solicitor informed of the screening outcome with consent",
    "Court duty probation officer updated",
    "Gave details of the local drug and alcohol service",
];

#[rustfmt::skip]
pub const REFERRAL_REASONS: &[&str] = &[
    "Ongoing low mood and anxiety; would like support after release",
    "Heavy alcohol use with withdrawal in custody; wants to cut down",
    "Daily heroin and crack use; interested in treatment",
    "Rough sleeping; needs help with housing",
    "Psychotic symptoms; not in contact with services since discharge",
    "Possible learning disability; needs an assessment and support",
    "Veteran with symptoms of PTSD",
    "Young person with emotional difficulties; not in school",
];

#[rustfmt::skip]
pub const SHARED: &[&str] = &[
    "Presenting needs and the screening outcome",
    "Mental health history and current risks",
    "Substance use and current risks",
    "Housing situation and contact details",
];

#[rustfmt::skip]
pub const CLOSURE_NOTES: &[&str] = &[
    "Moved to another force area before screening",
    "Admitted to hospital under the Mental Health Act",
    "Remanded to prison; prison in-reach team informed",
];

#[rustfmt::skip]
pub const SAFEGUARDING_OUTCOMES: &[&str] = &[
    "Section 42 enquiry opened", "No further action by the local authority",
    "Referred to the MASH; strategy meeting held", "Information shared with the allocated social worker",
];

#[rustfmt::skip]
pub const MHTR_REASONS: &[&str] = &[
    "Pleaded guilty; sentencing adjourned for reports. Long history of depression; she would like help.",
    "Convicted of theft; anxiety and past trauma. Probation asked whether an MHTR could be part of the order.",
    "Found guilty of criminal damage; self-harm and low mood. Court considering a community order.",
];
