"""`{% load people %}{{ user|display_name }}`: a person named as `common.people` names them."""

from django import template

from common import people

register = template.Library()


@register.filter
def display_name(user, placeholder=""):
    """`{{ person|display_name:"Not recorded" }}` gives the placeholder for nobody."""
    return people.display_name(user, placeholder)
