/* goreg-upload: see goreg-upload(1). */
#include "app/tool.h"

int main(int argc, char **argv)
{
	return tool_main("goreg-upload", OP_UPLOAD, argc, argv);
}
