def valid_partnership_data(*, council, lead_officer, **overrides):
    """POST data for PartnershipForm that passes validation."""
    data = {
        "name": "Harbourside Food Partnership",
        "purpose": "Reduce food poverty and food waste.",
        "status": "active",
        "scope": "operational",
        "basis": "voluntary",
        "membership": "multi",
        "level": "local",
        "councils": [str(council.pk)],
        "council_role": "supporting",
        "lead_officer": str(lead_officer.pk),
        "lead_member": "Cllr Jo Ashdown",
        "council_representative": "",
        "legal_status": "memorandum",
        "annual_contribution": "2500.50",
        "officer_days": "6",
        "total_budget": "",
        "performance_method": "light_touch",
        "performance_notes": "",
        "start_date_0": "1", "start_date_1": "4", "start_date_2": "2025",
        "end_date_0": "", "end_date_1": "", "end_date_2": "",
        "review_frequency": "12",
        "next_review_due_0": "31", "next_review_due_1": "3", "next_review_due_2": "2027",
        "version": "1",  # a new or factory-made partnership is at version 1
    }
    data.update(overrides)
    return data
