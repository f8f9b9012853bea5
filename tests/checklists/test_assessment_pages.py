import pytest

from checklists import services
from checklists.models import Assessment, Template
from tests.checklists.factories import complete, questions_of, start, submitted
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(name="Community Safety Partnership", lead_officer=lead)



def section_data(assessment, number=1, **values):
    data = {"version": str(Assessment.objects.get(pk=assessment.pk).version)}
    data.update(values)
    return data


def test_an_officer_starts_an_assessment_from_the_partnership(officer_client, partnership, officer):
    page = officer_client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert f"/assessments/start/{partnership.pk}/" in page
    response = officer_client.post(f"/assessments/start/{partnership.pk}/",
                                   {"kind": "improvement", "title": "2025-26 review"})
    assessment = Assessment.objects.get()
    assert response.url == f"/assessments/{assessment.pk}/"
    assert (assessment.template.kind, assessment.started_by) == ("improvement", officer)


def test_starting_needs_a_tool_and_a_title(officer_client, partnership):
    body = officer_client.post(f"/assessments/start/{partnership.pk}/", {}).content.decode()
    assert "Select which tool you are using" in body
    assert "Enter the review period or a title" in body
    assert not Assessment.objects.exists()


def test_the_task_list_shows_each_section_and_its_status(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    first = questions_of(assessment)[0]
    services.assessment_save_answers(assessment=assessment, answers={first: {"narrative": "Because"}},
                                     version=assessment.version, user=officer)
    response = officer_client.get(f"/assessments/{assessment.pk}/")
    statuses = [row["status"] for row in response.context["sections"]]
    assert statuses == ["In progress"] + ["Not started"] * 7
    body = response.content.decode()
    assert "1. Rationale for the partnership" in body
    assert "8. Serving the public" in body


def test_a_section_page_shows_its_questions_word_for_word(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    body = officer_client.get(f"/assessments/{assessment.pk}/sections/3/").content.decode()
    assert "a. How do our partnership&#x27;s corporate governance arrangements link to those of individual partners" in body
    assert "Partly assured" in body


def test_save_and_come_back_later_keeps_everything(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    question = questions_of(assessment)[0]
    response = officer_client.post(
        f"/assessments/{assessment.pk}/sections/1/",
        section_data(assessment, **{f"q{question.pk}-narrative": "To reduce crime", "later": ""}),
    )
    assert response.url == f"/assessments/{assessment.pk}/"
    assert assessment.answers.get(question=question).narrative == "To reduce crime"
    page = officer_client.get(f"/assessments/{assessment.pk}/sections/1/").content.decode()
    assert "To reduce crime" in page


def test_save_and_continue_goes_to_the_next_section_then_to_check(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    response = officer_client.post(f"/assessments/{assessment.pk}/sections/1/", section_data(assessment))
    assert response.url == f"/assessments/{assessment.pk}/sections/2/"
    response = officer_client.post(f"/assessments/{assessment.pk}/sections/8/", section_data(assessment))
    assert response.url == f"/assessments/{assessment.pk}/check/"


def test_an_unknown_section_is_not_found(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    assert officer_client.get(f"/assessments/{assessment.pk}/sections/9/").status_code == 404


def test_a_no_without_an_action_names_the_area_and_keeps_the_other_answers(officer_client, partnership, officer):
    assessment = start(partnership, officer, "improvement")
    first, second = questions_of(assessment)[:2]
    url = f"/assessments/{assessment.pk}/sections/1/"
    response = officer_client.post(url, section_data(assessment, **{
        f"q{first.pk}-meets": "yes", f"q{second.pk}-meets": "no", f"q{second.pk}-action": "  ",
    }))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Enter an action for area 2, because the answer is No" in body
    assert "Your other answers have been saved as a draft" in body
    saved = {answer.question_id: answer.meets for answer in assessment.answers.all()}
    assert saved[first.pk] == "yes" and saved[second.pk] == "no"
    # The page now carries the new version, so adding the action saves at once.
    version = Assessment.objects.get(pk=assessment.pk).version
    assert f'name="version" value="{version}"' in body
    response = officer_client.post(url, section_data(assessment, version=version, **{
        f"q{first.pk}-meets": "yes", f"q{second.pk}-meets": "no", f"q{second.pk}-action": "Write it down",
    }))
    assert response.status_code == 302
    assert assessment.answers.get(question=second).action == "Write it down"


def test_a_second_save_is_refused_and_keeps_what_was_typed(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    question = questions_of(assessment)[0]
    stale = section_data(assessment, **{f"q{question.pk}-narrative": "My careful answer"})
    # Someone else saves first.
    services.assessment_save_answers(assessment=assessment, answers={question: {"narrative": "Theirs"}},
                                     version=assessment.version, user=UserFactory(role="Officer"))
    response = officer_client.post(f"/assessments/{assessment.pk}/sections/1/", stale)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this assessment after you opened it" in body
    assert "My careful answer" in body
    assert assessment.answers.get().narrative == "Theirs"


def test_check_your_answers_lists_what_is_missing(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    body = officer_client.get(f"/assessments/{assessment.pk}/check/").content.decode()
    assert "29 questions still need an answer" in body
    response = officer_client.post(f"/assessments/{assessment.pk}/check/")
    assert "Answer every question before submitting." in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).status == "draft"


def test_an_officer_submits_from_check_your_answers(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    complete(assessment, officer)
    body = officer_client.get(f"/assessments/{assessment.pk}/check/").content.decode()
    assert "Submit for approval" in body
    assert f'name="version" value="{assessment.version}"' in body
    response = officer_client.post(f"/assessments/{assessment.pk}/check/", {"version": assessment.version})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"



def test_a_submitted_assessment_cannot_be_edited_through_its_pages(officer_client, partnership, officer):
    assessment = submitted(partnership, officer)
    response = officer_client.get(f"/assessments/{assessment.pk}/sections/1/")
    assert response.status_code == 302
    assert response.url == f"/assessments/{assessment.pk}/"


def test_the_lead_officer_approves_through_the_page(client, partnership, officer, lead):
    assessment = submitted(partnership, officer)
    client.force_login(lead)
    link = f"/assessments/{assessment.pk}/approve/?version={assessment.version}"
    assert f'href="{link}"' in client.get(f"/assessments/{assessment.pk}/").content.decode()
    confirm = client.get(link).content.decode()
    assert "read-only for ever" in confirm
    assert f'name="version" value="{assessment.version}"' in confirm
    client.post(f"/assessments/{assessment.pk}/approve/", {"version": assessment.version, "assurance": "limited"})
    assert Assessment.objects.get(pk=assessment.pk).status == "approved"


def test_the_submitter_is_not_offered_approval_and_is_refused(officer_client, partnership, officer):
    assessment = submitted(partnership, officer)
    assert "/approve/" not in officer_client.get(f"/assessments/{assessment.pk}/").content.decode()
    response = officer_client.post(f"/assessments/{assessment.pk}/approve/", {"version": assessment.version},
                                   follow=True)
    assert "someone else must approve" in response.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).status == "submitted"


def test_the_lead_officer_returns_it_with_a_reason(client, partnership, officer, lead):
    assessment = submitted(partnership, officer)
    client.force_login(lead)
    assert "Enter why you are returning" in client.post(
        f"/assessments/{assessment.pk}/return/", {"version": assessment.version}).content.decode()
    client.post(f"/assessments/{assessment.pk}/return/",
                {"reason": "Add who scrutinises decisions.", "version": assessment.version})
    assessment.refresh_from_db()
    assert (assessment.status, assessment.return_reason) == ("draft", "Add who scrutinises decisions.")
    client.force_login(officer)
    assert "Add who scrutinises decisions." in client.get(f"/assessments/{assessment.pk}/").content.decode()


def test_scrutiny_reads_a_submitted_assessment_but_never_a_draft(client, partnership, officer, scrutiny):
    done = submitted(partnership, officer)
    draft = start(partnership, officer)
    client.force_login(scrutiny)
    body = client.get(f"/assessments/{done.pk}/").content.decode()
    assert "Answer to a" in body
    assert "Why does the partnership exist?" in body
    assert "Change<span" not in body
    assert client.get(f"/assessments/{draft.pk}/").status_code == 404
    page = client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert f"/assessments/{done.pk}/" in page
    assert f"/assessments/{draft.pk}/" not in page


def test_the_assessment_page_shows_the_audit_trail(client, partnership, officer, lead):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    client.force_login(lead)
    body = client.get(f"/assessments/{assessment.pk}/").content.decode()
    for text in ["Started the Partnership checklist", "Changed 29 answers", "Submitted for approval", "Approved"]:
        assert text in body


def test_answers_are_escaped(client, partnership, officer, scrutiny):
    assessment = start(partnership, officer)
    question = questions_of(assessment)[0]
    services.assessment_save_answers(
        assessment=assessment, answers={question: {"narrative": "<script>alert(1)</script>"}},
        version=assessment.version, user=officer,
    )
    client.force_login(officer)
    body = client.get(f"/assessments/{assessment.pk}/check/").content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize("kind", [Template.Kind.CHECKLIST, Template.Kind.IMPROVEMENT])
def test_assessment_pages_use_a_constant_number_of_queries(client, partnership, officer, kind,
                                                          django_assert_max_num_queries):
    assessment = submitted(partnership, officer, kind)
    client.force_login(officer)
    client.get("/register/work/")  # the navigation's Your-work count, kept in the session for a minute
    # 12 with the reader's councils, read once a request for the object rules (partnerships.models);
    # 13 with the people an assessment names read apart from it (checklists.selectors.one_assessment:
    # one query joining them all took PostgreSQL 5 ms to plan at national scale, two more ms than
    # a query of their own). The Your-work count's three (tests/register/test_work.py) come once a
    # minute, with the session's save.
    with django_assert_max_num_queries(13):
        assert client.get(f"/assessments/{assessment.pk}/").status_code == 200
    draft = start(partnership, officer, kind)
    with django_assert_max_num_queries(13):
        assert client.get(f"/assessments/{draft.pk}/").status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(f"/assessments/{draft.pk}/check/").status_code == 200


def test_the_improvement_page_keeps_the_accountability_bullets_under_their_area(officer_client, partnership, officer):
    assessment = start(partnership, officer, "improvement")
    body = officer_client.get(f"/assessments/{assessment.pk}/sections/1/").content.decode()
    area = body.index("How the partnership is held to account including:")
    bullet = body.index("<li>Accountability between members of the partnership</li>")
    assert area < bullet < body.index("Whether there is a plan for the development of the partnership.")
    assert 'Action<span class="govuk-visually-hidden"> for area 12</span>' in body


def test_repeated_rating_legends_name_their_question(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    body = officer_client.get(f"/assessments/{assessment.pk}/sections/1/").content.decode()
    assert 'How assured are you<span class="govuk-visually-hidden"> for question d</span>?' in body


def test_check_your_answers_is_not_a_link_until_every_section_is_complete(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    check = f'href="/assessments/{assessment.pk}/check/"'
    body = officer_client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert check not in body
    assert "Cannot start yet" in body
    complete(assessment, officer)
    body = officer_client.get(f"/assessments/{assessment.pk}/").content.decode()
    assert check in body and "Ready to submit" in body


def test_change_on_check_your_answers_opens_the_question_and_comes_back(officer_client, partnership, officer):
    assessment = start(partnership, officer)
    complete(assessment, officer)
    assessment.refresh_from_db()
    question = questions_of(assessment)[4]  # in section 2
    number = question.section.number
    check = officer_client.get(f"/assessments/{assessment.pk}/check/").content.decode()
    change = f"/assessments/{assessment.pk}/sections/{number}/?return=check#question-{question.pk}"
    assert f'href="{change}"' in check
    page = officer_client.get(change.split("#")[0]).content.decode()
    assert f'id="question-{question.pk}"' in page
    assert f'href="/assessments/{assessment.pk}/check/"' in page  # the back link
    data = {"version": assessment.version, "continue": ""}
    for q in question.section.questions.all():
        data[f"q{q.pk}-narrative"], data[f"q{q.pk}-rating"] = "Changed", "partly"
    response = officer_client.post(change.split("#")[0], data)
    assert response.status_code == 302
    assert response.url == f"/assessments/{assessment.pk}/check/"
