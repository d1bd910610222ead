import datetime

from duos.services import duo_create
from tests.factories import MenteeFactory, MentorFactory, ProgrammeFactory


def test_duo_create_smoke(db):
    programme = ProgrammeFactory()
    duo = duo_create(
        programme=programme,
        mentor=MentorFactory(partner=programme.partner),
        mentee=MenteeFactory(partner=programme.partner),
        start_date=datetime.date(2018, 9, 1),
    )
    assert duo.planned_end_date == datetime.date(2019, 3, 1)
