from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    NONE = "none", _("No schooling")
    PRIMARY = "primary", _("Primary school")
    JUNIOR = "junior", _("Junior secondary")
    SENIOR = "senior", _("Senior secondary")
    VOCATIONAL = "vocational", _("Secondary vocational")
    COLLEGE = "college", _("Junior college (大专)")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master or above")


# Education at or above this counts as a college graduate (高校毕业生).
COLLEGE_LEVELS = frozenset({Education.COLLEGE, Education.BACHELOR, Education.MASTER})


class Proficiency(models.TextChoices):
    NONE = "none", _("None")
    BASIC = "basic", _("Basic")
    GOOD = "good", _("Good")
    FLUENT = "fluent", _("Fluent / native")


class Disability(models.TextChoices):
    NONE = "none", _("None")
    GRADE_1 = "1", _("Grade 1")
    GRADE_2 = "2", _("Grade 2")
    GRADE_3 = "3", _("Grade 3")
    GRADE_4 = "4", _("Grade 4")


class WorkMode(models.TextChoices):
    FULL_TIME = "full_time", _("Full-time")
    PART_TIME = "part_time", _("Part-time")
    FLEXIBLE = "flexible", _("Flexible work")
    ANY = "any", _("Any")


class EmploymentStatus(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed / business")
    FLEXIBLE = "flexible", _("In flexible employment")
    UNEMPLOYED = "unemployed", _("Unemployed")
    STUDENT = "student", _("In education")
    RETIRED = "retired", _("Retired")
    UNABLE = "unable", _("Unable to work")


WORKING_STATUSES = frozenset(
    {EmploymentStatus.EMPLOYED, EmploymentStatus.SELF_EMPLOYED, EmploymentStatus.FLEXIBLE}
)


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")
    VISIT = "visit", _("Home visit")
    IN_PERSON = "in_person", _("At the station")


class ContactOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NO_ANSWER = "no_answer", _("No answer")
    SWITCHED_OFF = "switched_off", _("Phone off / out of service")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    NOT_HOME = "not_home", _("Not at home")
    REFUSED = "refused", _("Refused to talk")


FAILED_OUTCOMES = frozenset(
    {
        ContactOutcome.NO_ANSWER,
        ContactOutcome.SWITCHED_OFF,
        ContactOutcome.WRONG_NUMBER,
        ContactOutcome.NOT_HOME,
    }
)


class Relation(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    CHILD_IN_LAW = "child_in_law", _("Son- or daughter-in-law")
    OTHER = "other", _("Other relative")


class ConsentPurpose(models.TextChoices):
    EMPLOYMENT_SERVICE = "employment_service", _("Employment services and job matching")
    SHARE_WITH_EMPLOYERS = "share_with_employers", _("Sharing my profile with employers")
    REGIONAL_PLATFORM = "regional_platform", _("Exchange with the regional employment platform")
    NOTIFICATIONS = "notifications", _("Job and training notifications")


class ConsentChannel(models.TextChoices):
    """Channels a notifications consent may name (the values of notifications.Channel);
    blank means every channel of the purpose."""

    SMS = "sms", _("Text message")
    WECHAT = "wechat", _("WeChat")


# Purposes whose consent may be given or withdrawn per channel.
CHANNEL_PURPOSES = frozenset({ConsentPurpose.NOTIFICATIONS})
