placeholder = None
def store_mandate_version_pdf(version_id):
    pass
