"""How a person is named wherever the app shows them: one rule for pages, PDFs, exports,
history and the messages it writes."""


def name_from_parts(first_name: str, last_name: str, username: str) -> str:
    """The name `display_name` gives, from the columns alone: for reads that fetch values,
    not users (the register's export, its officer choices), so they still say it once."""
    return f"{first_name} {last_name}".strip() or username


def display_name(user, placeholder: str = "") -> str:
    """A person's full name as `get_full_name` gives it, else their username (an account
    made with no first or last name); `placeholder` for nobody (None, or the "" a template
    passes on for a variable it could not find)."""
    if not user:
        return placeholder
    return user.get_full_name() or user.get_username()
