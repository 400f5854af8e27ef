"""ECR image URIs of the SageMaker built-in containers this project targets, per region, in one place.

Accounts are the SageMaker first-party framework registries (the same account hosts sagemaker-xgboost
and sagemaker-sparkml-serving in a region), as listed in the SageMaker Python SDK's image configs.
"""

from __future__ import annotations

REGISTRIES: dict[str, str] = {
    "af-south-1": "510948584623",
    "ap-east-1": "651117190479",
    "ap-northeast-1": "354813040037",
    "ap-northeast-2": "366743142698",
    "ap-northeast-3": "867004704886",
    "ap-south-1": "720646828776",
    "ap-south-2": "628508329040",
    "ap-southeast-1": "121021644041",
    "ap-southeast-2": "783357654285",
    "ap-southeast-3": "951798379941",
    "ap-southeast-4": "106583098589",
    "ca-central-1": "341280168497",
    "ca-west-1": "190319476487",
    "cn-north-1": "450853457545",
    "cn-northwest-1": "451049120500",
    "eu-central-1": "492215442770",
    "eu-central-2": "680994064768",
    "eu-north-1": "662702820516",
    "eu-south-1": "978288397137",
    "eu-south-2": "104374241257",
    "eu-west-1": "141502667606",
    "eu-west-2": "764974769150",
    "eu-west-3": "659782779980",
    "il-central-1": "898809789911",
    "me-central-1": "272398656194",
    "me-south-1": "801668240914",
    "sa-east-1": "737474898029",
    "us-east-1": "683313688378",
    "us-east-2": "257758044811",
    "us-gov-east-1": "237065988967",
    "us-gov-west-1": "414596584902",
    "us-west-1": "746614075791",
    "us-west-2": "246618743249",
}

# Regions the SDK lists for sagemaker-sparkml-serving (a subset of REGISTRIES).
SPARKML_REGIONS = frozenset({
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1",
    "ap-southeast-2", "ca-central-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-north-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "me-south-1", "sa-east-1", "us-east-1",
    "us-east-2", "us-gov-west-1", "us-west-1", "us-west-2",
})

# framework -> (ECR repository, versions we support, regions it is published in)
FRAMEWORKS: dict[str, tuple[str, tuple[str, ...], frozenset[str]]] = {
    # >= 1.3-1 only: older images pickle the model and accept `silent`
    "xgboost": ("sagemaker-xgboost", ("1.3-1", "1.5-1", "1.7-1", "2.1-0"), frozenset(REGISTRIES)),
    "sparkml-serving": ("sagemaker-sparkml-serving", ("2.2", "2.4", "3.3"), SPARKML_REGIONS),
}
DEFAULT_VERSIONS = {"xgboost": "1.7-1", "sparkml-serving": "3.3"}


def image_uri(framework: str, region: str, version: str | None = None) -> str:
    """`<account>.dkr.ecr.<region>.<domain>/<repository>:<version>`; ValueError naming what is unknown.

    `framework` is "xgboost" or "sparkml-serving"; `version` defaults to DEFAULT_VERSIONS[framework].
    """
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}; choose one of {sorted(FRAMEWORKS)}")
    repository, versions, regions = FRAMEWORKS[framework]
    version = version or DEFAULT_VERSIONS[framework]
    if version not in versions:
        raise ValueError(f"{framework} image version {version!r} is not supported; choose one of {versions}")
    if region not in regions:
        raise ValueError(f"no {framework} image is published in region {region!r}; "
                         f"known regions: {', '.join(sorted(regions))}")
    domain = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    return f"{REGISTRIES[region]}.dkr.ecr.{region}.{domain}/{repository}:{version}"
