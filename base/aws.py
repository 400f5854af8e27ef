"""What every AWS call of the project shares: clients honouring the environment, and name/ARN rules."""

from __future__ import annotations

import re

NAME = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$")  # SageMaker job/model/endpoint names
ROLE_ARN = re.compile(r"^arn:aws[a-z\-]*:iam::\d{12}:role/?[a-zA-Z_0-9+=,.@\-_/]+$")


def sagemaker_client(region: str | None = None, service: str = "sagemaker"):
    """A boto3 client (`sagemaker` or `sagemaker-runtime`); endpoint, region, credentials from the environment."""
    import boto3

    return boto3.session.Session().client(service, region_name=region)


def session_region() -> str | None:
    import boto3

    return boto3.session.Session().region_name


def check_name(kind: str, name: str) -> str:
    if not NAME.match(name):
        raise ValueError(f"{kind} {name!r}: 1-63 letters, digits and hyphens, starting with a letter or digit")
    return name


def check_role(role: str | None, what: str = "the SageMaker job or model") -> str:
    if not role:
        raise ValueError(f"--role is missing: give the IAM role ARN {what} runs as "
                         "(arn:aws:iam::<account>:role/<name>)")
    if not ROLE_ARN.match(role):
        raise ValueError(f"--role {role!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)")
    return role
