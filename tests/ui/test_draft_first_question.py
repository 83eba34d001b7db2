"""The first question asks whether the key activities are drafted already (issue 16): the
empty answer box says how, until the first answer or a draft."""

from canvas_tui.ui.screens.interview import FIRST_PLACEHOLDER, PLACEHOLDER, InterviewScreen
from canvas_tui.ui.widgets.answer_box import AnswerBox
from tests.ui.conftest import answer, new_session, settle


async def test_the_first_question_offers_the_draft_until_the_first_answer(app_factory, store):
    app = app_factory(session=new_session(store))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, InterviewScreen)
        box = app.screen.query_one(AnswerBox)
        assert box.placeholder == FIRST_PLACEHOLDER
        assert "Audit my draft" in FIRST_PLACEHOLDER
        await answer(pilot, "We bake sourdough and sell it in our shop")
        assert app.screen.query_one(AnswerBox).placeholder == PLACEHOLDER
