"""Information resource catalogue (信息资源目录): information classes, their fields and the validation plan.

The catalogue itself is data (``rulebook/catalog/*.yaml``); this app loads it (``registry``), maps a provider's
column headers onto field keys (``headers``) and validates rows vectorised (``plan``) for every channel:
files, the API and console forms.
"""
