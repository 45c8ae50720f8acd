//! The MHTR suitability answers a practitioner writes, one per assessment field, for every
//! demo case (synthetic: no real woman's story).

/// What the demo practitioner wrote for the field with this code.
pub fn answer(field: &str) -> &'static str {
    match field {
        "needs" => {
            "Low mood most days since her mother died last year; poor sleep, stopped seeing friends. \
             Says the shoplifting started when she \"stopped caring what happened\"."
        }
        "current-support" => "GP only: sertraline 50 mg for six months. No other services involved.",
        "history" => {
            "Depression since her teens, worse after the birth of her second child. One admission \
             (informal, 2019) after an overdose."
        }
        "diagnoses-medication" => "Recurrent depressive disorder (GP records). Sertraline 50 mg, takes it most days.",
        "previous-treatment" => {
            "Six sessions of guided self-help in 2021: found it \"too much reading\", stopped at four. \
             Would try talking therapy face to face."
        }
        "to-self" => {
            "Overdose in 2019; occasional thoughts she would be better off dead, no plan or intent now. \
             Safety plan agreed; knows the crisis line."
        }
        "to-others" => "None known. No violence on her record.",
        "from-others" => "Ex-partner was controlling; no contact for two years. No current risk identified.",
        "drugs-alcohol" => "Drinks wine at weekends, about 20 units a week. No drugs.",
        "substance-treatment" => "None. Agreed to talk about her drinking in therapy.",
        "trauma" => "Emotional abuse by ex-partner over six years. Does not want to go into detail yet.",
        "safeguarding" => {
            "Two children (9 and 12) live with her; no children's services involvement. \
             School reports no concerns."
        }
        "protective-factors" => "Close to her sister, who helps with the children. Wants to get back to work.",
        "motivation" => "Says she wants help \"before it gets worse\" and would rather this than a fine.",
        "barriers" => "School run: sessions after 10:00 on weekdays. Bus fare; will apply for a travel warrant.",
        _ => "Discussed with her; nothing further of note.",
    }
}
