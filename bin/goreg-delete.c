/* goreg-delete: see goreg-delete(1). */
#include "app/tool.h"

int main(int argc, char **argv)
{
	return tool_main("goreg-delete", OP_DELETE, argc, argv);
}
