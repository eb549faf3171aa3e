import { PageSkeleton } from "@/components/layout/page-skeleton";

export default PageSkeleton;
