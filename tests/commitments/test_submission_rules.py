"""The pure rules of the commitments' class check (``rules.commitments.submission_problems``), without a database."""

from pubcredit.commitments.rulebook import commitment_book
from pubcredit.rules.commitments import StoredCommitment, SubmittedCommitment, submission_problems


def row(n: int, *, key: str | None = None, kind="approval_substitute", matter="food_business_license",
        approval: str | None = "SP-1", status="in_force") -> SubmittedCommitment:
    return SubmittedCommitment(n, key or f"k{n}", f"承诺{n}号", kind, matter, approval, status)


def codes(out):
    return {r: [p.code for p in problems] for r, problems in out.items()}


def check(rows, stored=None, taken=None):
    return codes(submission_problems(rows, stored=stored or {}, approvals_taken=taken or {}, book=commitment_book()))


def test_gbf_2020_42_the_matter_rule_is_for_approval_commitments_when_made_or_changed():
    hazardous = "hazardous_chemicals_license"
    assert check([row(1, matter=hazardous)]) == {1: ["commitment.matter_not_allowed"]}
    assert check([row(1, kind="voluntary", matter=hazardous, approval=None)]) == {}
    # stored before the matter lost 告知承诺: verifying it later is not refused
    old = StoredCommitment("in_force", "approval_substitute", hazardous, "SP-1")
    assert check([row(1, matter=hazardous, status="fulfilled")], {"k1": old}) == {}


def test_one_approval_one_commitment_against_stored_and_earlier_rows_but_not_itself():
    taken = {"SP-1": [("k9", "承诺9号")]}
    assert check([row(1)], taken=taken) == {1: ["commitment.duplicate_approval"]}
    assert check([row(9, key="k9")], taken=taken) == {}
    assert check([row(1), row(2), row(3, approval="SP-3")]) == {2: ["commitment.duplicate_approval"]}
    # a refused row claims nothing: the next row with that approval is judged on its own
    assert check([row(1, matter="hazardous_chemicals_license"), row(2)]) == {1: ["commitment.matter_not_allowed"]}


def test_status_moves_of_stored_commitments_follow_moves_and_a_new_commitment_may_come_in_any_status():
    fulfilled = {"k1": StoredCommitment("fulfilled", "approval_substitute", "food_business_license", "SP-1")}
    assert check([row(1, status="breached")], fulfilled) == {1: ["commitment.status_move"]}
    assert check([row(1, status="in_force")], fulfilled) == {1: ["commitment.status_move"]}
    assert check([row(1, status="fulfilled")], fulfilled) == {}  # a correction, no move
    in_force = {"k1": StoredCommitment("in_force", "approval_substitute", "food_business_license", "SP-1")}
    assert all(check([row(1, status=s)], in_force) == {} for s in ("fulfilled", "breached", "expired", "withdrawn"))
    assert check([row(1, status="breached")]) == {}
